// The small CNN: conv-conv-dense(128, the embedding)-dropout-dense(C), where each conv has
// stride 2 and so does the pooling's job (28 -> 14 -> 7). Measured on this 2-core machine,
// TensorFlow's MaxPoolGrad cost more than both convolutions' gradients together, and a
// stride-2 conv trains ~2x faster than conv+maxpool at similar MNIST accuracy.
// Written with raw fused ops over plain variables instead of tf.layers: the Layers API
// adds per-call bookkeeping (symbolic shapes, regularizer hooks, callbacks) that costs
// more than the convolutions themselves at batch sizes of a few hundred.
import { tf } from './tf.js';
import { IMAGE_SIZE } from '../types.js';
import type { Classifier } from './classifier.js';
import { channelStats } from './channel-stats.js';
import { dropoutMasks, mcDropoutLogits, MC_PASSES } from './mc-dropout.js';
import { scaleBytes } from './pixel-scale.js';
import { itemAt } from '../../../shared/checked-index.js';

export const EMBEDDING_DIM = 128;
export const CNN_ARCH = 'cnn-c32k5s2-c64k3s2-d128-v1';
/** Dropout rate on the embedding in training (model/train.ts), and so of its MC-dropout passes. */
export const CNN_DROPOUT = 0.15;

/** Weight names in a fixed order: checkpoints store them in this order. */
export const WEIGHT_NAMES = ['conv1W', 'conv1B', 'conv2W', 'conv2B', 'fc1W', 'fc1B', 'fc2W', 'fc2B'] as const;
export type WeightName = (typeof WEIGHT_NAMES)[number];

// A wider first conv (48) measured no clear gain (20k-image job: 98.85/98.83% vs
// 98.81/98.69%; all 60k: 99.26% vs 99.23%), so the architecture (and checkpoints) stay.
const C1 = 32;
const C2 = 64;
const K1 = 5;
const K2 = 3;
// 28 -conv stride 2 same-> 14 -conv stride 2 same-> 7
const FLAT = 7 * 7 * C2;
/** Per-channel mean and standard deviation of the first conv layer (channel-stats.ts). */
export const LOW_LEVEL_DIM = 2 * C1;

export function weightShapes(numClasses: number): Record<WeightName, number[]> {
  return {
    conv1W: [K1, K1, 1, C1],
    conv1B: [C1],
    conv2W: [K2, K2, C1, C2],
    conv2B: [C2],
    fc1W: [FLAT, EMBEDDING_DIM],
    fc1B: [EMBEDDING_DIM],
    fc2W: [EMBEDDING_DIM, numClasses],
    fc2B: [numClasses],
  };
}

/** ReLU whose gradient is dy * (y > 0), computed with greater+cast instead of tf.step. */
const relu = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const y = tf.relu(x);
  save([y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      tf.mul(dy, tf.cast(tf.greater(itemAt(saved, 0, 'relu gradient: saved output'), 0), 'float32')),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;

export interface ForwardOutput {
  logits: tf.Tensor2D;
  /** Penultimate layer's pre-activations (before ReLU and dropout), not normalised. */
  features: tf.Tensor2D;
  /** [n, LOW_LEVEL_DIM]: the first conv layer's channel means, then its channel stds. */
  lowLevel: tf.Tensor2D;
}

export class Cnn {
  readonly numClasses: number;
  readonly weights: Record<WeightName, tf.Variable>;

  constructor(weights: Record<WeightName, tf.Variable>) {
    this.weights = weights;
    this.numClasses = itemAt(weights.fc2B.shape, 0, 'fc2B shape');
  }

  /** He-normal init (ReLU layers), zero biases; `seed` makes it reproducible. */
  static create(numClasses: number, seed: number): Cnn {
    const shapes = weightShapes(numClasses);
    const w = {} as Record<WeightName, tf.Variable>;
    WEIGHT_NAMES.forEach((name, i) => {
      const shape = shapes[name];
      if (name.endsWith('B')) {
        w[name] = tf.tidy(() => tf.variable(tf.zeros(shape)));
      } else {
        const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
        const std = Math.sqrt(2 / fanIn);
        // tidy frees the initial value; the variable keeps its own reference to the data.
        w[name] = tf.tidy(() => tf.variable(tf.truncatedNormal(shape, 0, std, 'float32', seed * 31 + i)));
      }
    });
    return new Cnn(w);
  }

  static fromArrays(numClasses: number, arrays: Record<WeightName, Float32Array>): Cnn {
    const shapes = weightShapes(numClasses);
    const w = {} as Record<WeightName, tf.Variable>;
    for (const name of WEIGHT_NAMES) {
      const size = shapes[name].reduce((a, b) => a * b, 1);
      if (arrays[name].length !== size) {
        throw new Error(
          `weight ${name}: expected ${size} values for shape [${shapes[name]}], got ${arrays[name].length}`,
        );
      }
      w[name] = tf.tidy(() => tf.variable(tf.tensor(arrays[name], shapes[name])));
    }
    return new Cnn(w);
  }

  trainableVariables(): tf.Variable[] {
    return WEIGHT_NAMES.map((n) => this.weights[n]);
  }

  /**
   * Inference: x [n, 28, 28, 1] floats 0..1 -> logits and the penultimate features. Fused
   * conv/matMul + bias + ReLU ops, one kernel each.
   */
  forward(x: tf.Tensor4D): ForwardOutput {
    const w = this.weights;
    const h1 = tf.fused.conv2d({
      x,
      filter: w.conv1W as tf.Tensor4D,
      strides: 2,
      pad: 'same',
      bias: w.conv1B,
      activation: 'relu',
    });
    const h2 = tf.fused.conv2d({
      x: h1,
      filter: w.conv2W as tf.Tensor4D,
      strides: 2,
      pad: 'same',
      bias: w.conv2B,
      activation: 'relu',
    });
    const flat = tf.reshape(h2, [x.shape[0], FLAT]) as tf.Tensor2D;
    // The embedding is the penultimate layer BEFORE its ReLU. Measured on MNIST vs the seven
    // distractor kinds (20k-image model, k=10 cosine kNN): AUROC 0.990 pre-ReLU vs 0.978
    // post-ReLU. The ReLU zeroes every negative coordinate, and an outlier's pattern of
    // "how negative" is exactly what tells it apart from the digits it happens to resemble.
    const features = tf.fused.matMul({ a: flat, b: w.fc1W as tf.Tensor2D, bias: w.fc1B }) as tf.Tensor2D;
    const logits = tf.fused.matMul({ a: tf.relu(features), b: w.fc2W as tf.Tensor2D, bias: w.fc2B }) as tf.Tensor2D;
    return { logits, features, lowLevel: channelStats(h1) };
  }

  /**
   * Training: the same function as forward() plus dropout on the embedding, built from
   * unfused ops with relu() below, whose gradient avoids tf.step. tfjs differentiates every
   * ReLU (fused or not) as dy * step(y), and step is ~10x slower than greater+cast on this
   * backend; measured, that alone cost a third of each training step.
   */
  forwardTrain(x: tf.Tensor4D, dropoutRate: number, dropoutSeed: number): tf.Tensor2D {
    const w = this.weights;
    const h1 = relu(tf.add(tf.conv2d(x, w.conv1W as tf.Tensor4D, 2, 'same'), w.conv1B)) as tf.Tensor4D;
    const h2 = relu(tf.add(tf.conv2d(h1, w.conv2W as tf.Tensor4D, 2, 'same'), w.conv2B));
    const flat = tf.reshape(h2, [x.shape[0], FLAT]) as tf.Tensor2D;
    const features = relu(tf.add(tf.matMul(flat, w.fc1W as tf.Tensor2D), w.fc1B)) as tf.Tensor2D;
    const dropped =
      dropoutRate > 0 ? (tf.dropout(features, dropoutRate, undefined, dropoutSeed) as tf.Tensor2D) : features;
    return tf.add(tf.matMul(dropped, w.fc2W as tf.Tensor2D), w.fc2B) as tf.Tensor2D;
  }

  /** Copies of the weights as typed arrays (for checkpoints and for handing across threads). */
  async toArrays(): Promise<Record<WeightName, Float32Array>> {
    const out = {} as Record<WeightName, Float32Array>;
    for (const name of WEIGHT_NAMES) out[name] = (await this.weights[name].data()) as Float32Array;
    return out;
  }

  dispose(): void {
    for (const name of WEIGHT_NAMES) this.weights[name].dispose();
  }
}

/** Uint8 grey pixels (n * 784) -> [n, 28, 28, 1] float tensor in 0..1. */
export function pixelsToTensor(pixels: Uint8Array, n: number, offset = 0): tf.Tensor4D {
  const size = IMAGE_SIZE * IMAGE_SIZE;
  const f = scaleBytes(pixels, new Float32Array(n * size), offset * size, 0, n * size);
  return tf.tensor4d(f, [n, IMAGE_SIZE, IMAGE_SIZE, 1]);
}

/** The CNN with its class list, as scoring sees it. */
export class CnnClassifier implements Classifier {
  readonly embeddingDim = EMBEDDING_DIM;
  readonly lowLevelDim = LOW_LEVEL_DIM;
  readonly mcPasses = MC_PASSES;
  private masks: Float32Array | null = null;
  constructor(
    readonly cnn: Cnn,
    readonly classes: string[],
  ) {
    if (cnn.numClasses !== classes.length)
      throw new Error(`model has ${cnn.numClasses} outputs but ${classes.length} classes`);
  }
  forward(x: tf.Tensor): ForwardOutput {
    if (x.rank !== 4) throw new Error(`the CNN takes [n, h, w, c] images, not a tensor of shape [${x.shape}]`);
    return this.cnn.forward(x as tf.Tensor4D);
  }
  mcLogits(features: tf.Tensor2D): tf.Tensor2D {
    this.masks ??= dropoutMasks(this.mcPasses, EMBEDDING_DIM, CNN_DROPOUT);
    const w = this.cnn.weights;
    return mcDropoutLogits(
      features,
      w.fc2W as tf.Tensor2D,
      w.fc2B as tf.Tensor1D,
      this.masks,
      this.mcPasses,
      CNN_DROPOUT,
    );
  }
  dispose(): void {
    this.cnn.dispose();
  }
}
