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

/**
 * M members side by side (an ensemble trained in one pass): member m owns hidden units
 * m*hidden..(m+1)*hidden-1 and the rows of w2 they feed, and b2's row m. The head's logits
 * are the mean of the members' logits, which is one matmul over the whole hidden layer:
 * h W2 / M + mean(b2).
 */
export interface HeadWeights {
  /** Per-dimension mean and standard deviation of the training rows (the head's first step). */
  mean: Float32Array;
  std: Float32Array;
  w1: Float32Array; // dim x (M * hidden)
  b1: Float32Array; // M * hidden
  w2: Float32Array; // (M * hidden) x C
  b2: Float32Array; // M x C
}

export const HEAD_WEIGHT_NAMES = ['mean', 'std', 'w1', 'b1', 'w2', 'b2'] as const;

export function headWeightShapes(
  dim: number,
  hidden: number,
  classes: number,
  members = 1,
): Record<keyof HeadWeights, number[]> {
  const width = members * hidden;
  return { mean: [dim], std: [dim], w1: [dim, width], b1: [width], w2: [width, classes], b2: [members, classes] };
}

export class HeadModel {
  readonly mean: tf.Tensor1D;
  readonly std: tf.Tensor1D;
  readonly w1: tf.Variable<tf.Rank.R2>;
  readonly b1: tf.Variable<tf.Rank.R1>;
  readonly w2: tf.Variable<tf.Rank.R2>;
  readonly b2: tf.Variable<tf.Rank.R2>;
  /** Units of the whole hidden layer: members x hidden. */
  readonly width: number;

  constructor(
    readonly dim: number,
    /** Hidden units of one member. */
    readonly hidden: number,
    readonly numClasses: number,
    readonly dropout: number,
    w: HeadWeights,
    readonly members = 1,
  ) {
    if (!Number.isInteger(members) || members < 1)
      throw new Error(`head: members must be an integer >= 1, got ${members}`);
    this.width = members * hidden;
    const s = headWeightShapes(dim, hidden, numClasses, members);
    for (const k of HEAD_WEIGHT_NAMES) {
      const want = s[k].reduce((a, b) => a * b, 1);
      if (w[k].length !== want) throw new Error(`head weights: ${k} has ${w[k].length} values, expected ${want}`);
    }
    this.mean = tf.tensor1d(w.mean);
    this.std = tf.tensor1d(w.std);
    // tidy frees each initial value; the variable keeps its own reference to the data.
    this.w1 = tf.tidy(() => tf.variable(tf.tensor2d(w.w1, [dim, this.width])));
    this.b1 = tf.tidy(() => tf.variable(tf.tensor1d(w.b1)));
    this.w2 = tf.tidy(() => tf.variable(tf.tensor2d(w.w2, [this.width, numClasses])));
    this.b2 = tf.tidy(() => tf.variable(tf.tensor2d(w.b2, [members, numClasses])));
  }

  trainableVariables(): tf.Variable[] {
    return [this.w1, this.b1, this.w2, this.b2];
  }

  /** Pre-ReLU hidden activations of rows x [n, dim]. Inside tf.tidy. */
  hiddenPre(x: tf.Tensor2D): tf.Tensor2D {
    const z = tf.div(tf.sub(x, this.mean), this.std) as tf.Tensor2D;
    return tf.add(tf.matMul(z, this.w1), this.b1) as tf.Tensor2D;
  }

  /** The head's logits (the members' mean) from pre-ReLU hidden activations, with a dropout keep-mask (already scaled) or none. */
  logitsFrom(pre: tf.Tensor2D, mask?: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = tf.relu(pre);
    if (mask) h = tf.mul(h, mask);
    return tf.add(tf.matMul(h, this.meanKernel()), this.meanBias()) as tf.Tensor2D;
  }

  /** Each member's logits, [M, n, C], for training every member on its own loss. */
  memberLogits(pre: tf.Tensor2D, mask?: tf.Tensor2D): tf.Tensor3D {
    let h: tf.Tensor2D = tf.relu(pre);
    if (mask) h = tf.mul(h, mask);
    const n = h.shape[0];
    const { members: M, hidden: H, numClasses: C } = this;
    const hm = tf.transpose(h.reshape([n, M, H]), [1, 0, 2]) as tf.Tensor3D;
    const out = tf.matMul(hm, this.w2.reshape([M, H, C]) as tf.Tensor3D);
    return tf.add(out, this.b2.reshape([M, 1, C])) as tf.Tensor3D;
  }

  /** w2 / M: the kernel that gives the members' mean logits in one matmul. Inside tf.tidy. */
  meanKernel(): tf.Tensor2D {
    return this.members === 1 ? this.w2 : (tf.div(this.w2, this.members) as tf.Tensor2D);
  }

  /** The mean of the members' biases, [C]. Inside tf.tidy. */
  meanBias(): tf.Tensor1D {
    return tf.mean(this.b2, 0) as tf.Tensor1D;
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
    this.embeddingDim = embedding === 'hidden' ? head.width : this.inputCols;
    // MC passes need the hidden layer, which part of a row cannot give back.
    const mcFromFeatures = embedding === 'hidden' || this.inputCols === head.dim;
    this.masks = head.dropout > 0 && mcFromFeatures ? dropoutMasks(MC_PASSES, head.width, head.dropout) : null;
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
    const { head } = this;
    return mcDropoutLogits(hidden, head.meanKernel(), head.meanBias(), this.masks, MC_PASSES, head.dropout);
  }

  dispose(): void {
    this.head.dispose();
  }
}
