// What scoring needs from a model, whichever kind it is (our CNN, a user's tfjs Layers
// model, a TensorFlow SavedModel): logits and, when the model has one, a penultimate
// feature vector, from one forward pass.
import type { tf } from './tf.js';

export interface Classifier {
  /** Output classes in logit order. */
  readonly classes: string[];
  /** Length of the feature vector, or 0 when the model exposes none. */
  readonly embeddingDim: number;
  /**
   * Length of the low-level statistics vector (channel-stats.ts) the model gives with every
   * forward pass, or 0/absent when it gives none (a user's model: its layers are unknown).
   */
  readonly lowLevelDim?: number;
  /**
   * x: a batch of the model's input rows (model/inputs.ts): [n, h, w, c] pixels 0..1 for a
   * CNN, [n, dim] feature rows for a head. Called inside tf.tidy by the caller.
   */
  forward(x: tf.Tensor): { logits: tf.Tensor2D; features: tf.Tensor2D | null; lowLevel?: tf.Tensor2D | null };
  /**
   * MC dropout (model/mc-dropout.ts): how many stochastic passes mcLogits gives. Absent (with
   * mcLogits) when the model has no dropout Unsure knows how to sample: a user's tfjs Layers
   * model or SavedModel is a black box here, even one with dropout layers. Such a model's
   * mcDisagreement column is NaN (pipeline/score-rows.ts).
   */
  readonly mcPasses?: number;
  /** Logits of every pass, [n, mcPasses * C] pass-major, from the `features` forward() gave. Inside tf.tidy. */
  mcLogits?(features: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}
