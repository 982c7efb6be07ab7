// A frozen network run once per sample when a dataset is opened: the shipped backbone
// (model/backbone.ts) or a user's own model (model/user-model.ts). What it gives (features,
// and logits when it is a classifier) is cached per sample, and everything after it (heads,
// kNN, scores) works on those rows, so a retrain never runs it again.
import type { Recipe } from '../../../shared/recipe.js';

export interface ExtractorOutput {
  /** n * featureDim, or null when the network exposes no features. */
  features: Float32Array | null;
  /** n * classes.length raw logits (log-probabilities when only probabilities are given), or null for a backbone. */
  logits: Float32Array | null;
}

export interface Extractor {
  /** Stable id for caches: what the network is (a hash of its files) and the recipe's name and version. */
  readonly id: string;
  /** How images are decoded for it; its `input` is the network's input. */
  readonly recipe: Recipe;
  /** Length of one feature row; 0 when there are none (then logits stand in, with a note). */
  readonly featureDim: number;
  /**
   * How many leading columns of a row kNN compares, when not all: the shipped backbone's final
   * block without the earlier blocks' pooled taps appended to it (docs/colour-model.md).
   */
  readonly knnCols?: number;
  /** Output classes in logit order, or null for a backbone (no classifier of its own). */
  readonly classes: string[] | null;
  /** How features and logits are obtained, for the CLI and the UI ("features: output 'embedding', 512-d"). */
  readonly notes: string[];
  /**
   * pixels: n images of recipe.input, height x width x channels bytes 0..255 each, NHWC, as
   * decoded with the recipe (resize, colour, background); the extractor applies the recipe's
   * value scaling and its own layout (NCHW for most ONNX models) itself.
   */
  run(pixels: Uint8Array, n: number): Promise<ExtractorOutput>;
  dispose(): void;
}
