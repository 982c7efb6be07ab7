// The head on a backbone's feature rows: standardise, dense + ReLU, dropout, dense. Trained
// by head.ts in seconds on cached rows; HeadClassifier is what scoring uses.
import { tf } from './tf.js';
import type { Classifier } from './classifier.js';
import { dropoutMasks, mcDropoutLogits, MC_PASSES } from './mc-dropout.js';

/**
 * Which rows kNN compares: the head's post-ReLU hidden layer, or the leading `inputCols`
 * columns of the backbone rows it was fed (the final 1280-d block without the appended taps,
 * which rank held-out classes better: docs/colour-model.md).
 */
export type HeadEmbedding = 'hidden' | 'input';

export interface HeadWeights {
  /** Per-dimension mean and standard deviation of the training rows (the head's first step). */
  mean: Float32Array;
  std: Float32Array;
  w1: Float32Array; // dim x hidden
  b1: Float32Array; // hidden
  w2: Float32Array; // hidden x C
  b2: Float32Array; // C
}

export const HEAD_WEIGHT_NAMES = ['mean', 'std', 'w1', 'b1', 'w2', 'b2'] as const;

export function headWeightShapes(dim: number, hidden: number, classes: number): Record<keyof HeadWeights, number[]> {
  return { mean: [dim], std: [dim], w1: [dim, hidden], b1: [hidden], w2: [hidden, classes], b2: [classes] };
}

export class HeadModel {
  readonly mean: tf.Tensor1D;
  readonly std: tf.Tensor1D;
  readonly w1: tf.Variable<tf.Rank.R2>;
  readonly b1: tf.Variable<tf.Rank.R1>;
  readonly w2: tf.Variable<tf.Rank.R2>;
  readonly b2: tf.Variable<tf.Rank.R1>;

  constructor(
    readonly dim: number,
    readonly hidden: number,
    readonly numClasses: number,
    readonly dropout: number,
    w: HeadWeights,
  ) {
    const s = headWeightShapes(dim, hidden, numClasses);
    for (const k of HEAD_WEIGHT_NAMES) {
      const want = s[k].reduce((a, b) => a * b, 1);
      if (w[k].length !== want) throw new Error(`head weights: ${k} has ${w[k].length} values, expected ${want}`);
    }
    this.mean = tf.tensor1d(w.mean);
    this.std = tf.tensor1d(w.std);
    this.w1 = tf.variable(tf.tensor2d(w.w1, [dim, hidden]));
    this.b1 = tf.variable(tf.tensor1d(w.b1));
    this.w2 = tf.variable(tf.tensor2d(w.w2, [hidden, numClasses]));
    this.b2 = tf.variable(tf.tensor1d(w.b2));
  }

  trainableVariables(): tf.Variable[] {
    return [this.w1, this.b1, this.w2, this.b2];
  }

  /** Pre-ReLU hidden activations of rows x [n, dim]. Inside tf.tidy. */
  hiddenPre(x: tf.Tensor2D): tf.Tensor2D {
    const z = tf.div(tf.sub(x, this.mean), this.std) as tf.Tensor2D;
    return tf.add(tf.matMul(z, this.w1), this.b1) as tf.Tensor2D;
  }

  /** Logits from pre-ReLU hidden activations, with a dropout keep-mask (already scaled) or none. */
  logitsFrom(pre: tf.Tensor2D, mask?: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = tf.relu(pre);
    if (mask) h = tf.mul(h, mask);
    return tf.add(tf.matMul(h, this.w2), this.b2) as tf.Tensor2D;
  }

  async toArrays(): Promise<HeadWeights> {
    const [mean, std, w1, b1, w2, b2] = await Promise.all(
      [this.mean, this.std, this.w1, this.b1, this.w2, this.b2].map((t) => t.data() as Promise<Float32Array>),
    );
    return { mean: mean!, std: std!, w1: w1!, b1: b1!, w2: w2!, b2: b2! };
  }

  dispose(): void {
    for (const t of [this.mean, this.std, this.w1, this.b1, this.w2, this.b2]) t.dispose();
  }
}

/**
 * A head as scoring sees it. forward takes feature rows [n, dim] (not images); its features
 * are the post-ReLU hidden layer or the input rows (HeadEmbedding). MC dropout is one matmul
 * over the hidden layer (mc-dropout.ts), so it is offered.
 */
export class HeadClassifier implements Classifier {
  readonly embeddingDim: number;
  readonly mcPasses?: number;
  private readonly masks: Float32Array | null;

  readonly inputCols: number;

  constructor(
    readonly head: HeadModel,
    readonly classes: string[],
    readonly embedding: HeadEmbedding,
    /** With embedding 'input': how many leading columns of a row kNN compares (default all). */
    inputCols?: number,
  ) {
    if (classes.length !== head.numClasses)
      throw new Error(`head: ${classes.length} class names for ${head.numClasses} outputs`);
    this.inputCols = inputCols ?? head.dim;
    if (!Number.isInteger(this.inputCols) || this.inputCols < 1 || this.inputCols > head.dim)
      throw new Error(`head: inputCols ${inputCols} must be an integer 1..${head.dim}`);
    this.embeddingDim = embedding === 'hidden' ? head.hidden : this.inputCols;
    // MC passes need the hidden layer, which part of a row cannot give back.
    const mcFromFeatures = embedding === 'hidden' || this.inputCols === head.dim;
    this.masks = head.dropout > 0 && mcFromFeatures ? dropoutMasks(MC_PASSES, head.hidden, head.dropout) : null;
    if (this.masks) this.mcPasses = MC_PASSES;
  }

  forward(x: tf.Tensor2D | tf.Tensor4D): { logits: tf.Tensor2D; features: tf.Tensor2D } {
    if (x.rank !== 2 || x.shape[1] !== this.head.dim)
      throw new Error(`head: expects feature rows [n, ${this.head.dim}], got [${x.shape}]`);
    const rows = x as tf.Tensor2D;
    const pre = this.head.hiddenPre(rows);
    const logits = this.head.logitsFrom(pre);
    if (this.embedding === 'hidden') return { logits, features: tf.relu(pre) };
    const features =
      this.inputCols === this.head.dim ? rows : (tf.slice(rows, [0, 0], [-1, this.inputCols]) as tf.Tensor2D);
    return { logits, features };
  }

  mcLogits(features: tf.Tensor2D): tf.Tensor2D {
    if (!this.masks) throw new Error('head: no MC passes (no dropout, or features that are part of a row)');
    // Post-ReLU hidden rows pass through mcDropoutLogits' ReLU unchanged; whole input rows are
    // taken through the hidden layer again.
    const hidden = this.embedding === 'hidden' ? features : this.head.hiddenPre(features);
    return mcDropoutLogits(hidden, this.head.w2, this.head.b2, this.masks, MC_PASSES, this.head.dropout);
  }

  dispose(): void {
    this.head.dispose();
  }
}
