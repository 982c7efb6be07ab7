// One training step of the head, forward and backward written out: a two-layer net's
// gradients are five matmuls and a few elementwise kernels. tfjs's tape and optimizer ran
// about four times as many kernels, and on a batch of 128 rows each kernel's dispatch, not its
// arithmetic, is what a step costs (docs/colour-model.md, "Head training speed").
import { tf } from './tf.js';

/**
 * The head's trainable tensors as training lays them out: the members' output layers are one
 * block-diagonal kernel, so every member's logits come from one matmul.
 */
export interface HeadTrainParams {
  /** dim x W (W = members * hidden). */
  w1: tf.Variable<tf.Rank.R2>;
  b1: tf.Variable<tf.Rank.R1>;
  /** W x (members * classes), zero off the diagonal blocks. */
  w2: tf.Variable<tf.Rank.R2>;
  /** members * classes. */
  b2: tf.Variable<tf.Rank.R1>;
}

export interface HeadStep {
  /** [B, members * classes]: each member's logits, before this step's update. */
  logits: tf.Tensor2D;
  /** Gradients in the order w1, b1, w2, b2. */
  grads: [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
}

/**
 * Gradients of the mean, over members and rows, of each member's softmax cross-entropy
 * against `targets` [B, members * classes] (each member's slice of a row sums to 1: one-hot or
 * smoothed), for standardised rows `z` [B, dim] and a scaled dropout keep-mask [B, W] or none.
 * `blockMask` [W, members * classes] keeps the output kernel block-diagonal (none for one
 * member). Inside tf.tidy.
 */
export function headStep(
  p: HeadTrainParams,
  z: tf.Tensor2D,
  targets: tf.Tensor2D,
  mask: tf.Tensor2D | null,
  members: number,
  blockMask: tf.Tensor2D | null,
): HeadStep {
  const rows = z.shape[0];
  const out = p.b2.shape[0];
  const h0 = tf.fused.matMul({ a: z, b: p.w1, bias: p.b1, activation: 'relu' }) as tf.Tensor2D;
  const h = (mask ? tf.mul(h0, mask) : h0) as tf.Tensor2D;
  const logits = tf.fused.matMul({ a: h, b: p.w2, bias: p.b2 }) as tf.Tensor2D;
  const probs = tf.softmax(logits.reshape([rows * members, out / members])).reshape([rows, out]) as tf.Tensor2D;
  const dLogits = tf.mul(tf.sub(probs, targets), 1 / (rows * members)) as tf.Tensor2D;
  const dw2 = tf.matMul(h, dLogits, true, false) as tf.Tensor2D;
  // ReLU passes the gradient where its output was positive; dropout scales it as it scaled h.
  const gate = mask ? tf.mul(mask, tf.sign(h0)) : tf.sign(h0);
  const dPre = tf.mul(tf.matMul(dLogits, p.w2, false, true), gate) as tf.Tensor2D;
  return {
    logits,
    grads: [
      tf.matMul(z, dPre, true, false),
      tf.sum(dPre, 0) as tf.Tensor1D,
      blockMask ? (tf.mul(dw2, blockMask) as tf.Tensor2D) : dw2,
      tf.sum(dLogits, 0) as tf.Tensor1D,
    ],
  };
}

/** The members' output kernels ((members * hidden) x classes, member m's rows m*hidden..) as one block-diagonal W x (members * classes). */
export function blockDiagonal(w2: Float32Array, members: number, hidden: number, classes: number): Float32Array {
  const cols = members * classes;
  const out = new Float32Array(members * hidden * cols);
  for (let m = 0; m < members; m++)
    for (let u = 0; u < hidden; u++) {
      const row = m * hidden + u;
      out.set(w2.subarray(row * classes, (row + 1) * classes), row * cols + m * classes);
    }
  return out;
}

/** blockDiagonal's inverse: the diagonal blocks stacked, (members * hidden) x classes. */
export function diagonalBlocks(bd: Float32Array, members: number, hidden: number, classes: number): Float32Array {
  const cols = members * classes;
  const out = new Float32Array(members * hidden * classes);
  for (let m = 0; m < members; m++)
    for (let u = 0; u < hidden; u++) {
      const row = m * hidden + u;
      out.set(bd.subarray(row * cols + m * classes, row * cols + (m + 1) * classes), row * classes);
    }
  return out;
}
