// MC-dropout passes for the CNN, whose only dropout sits between the embedding's ReLU and
// the last dense layer (cnn.ts forwardTrain). Everything before that layer is deterministic,
// so T passes need only T copies of the last layer, not T forward passes: pass t is
//   logits_t = (relu(features) * mask_t / (1 - rate)) W + b = relu(features) (diag(mask_t) W) / (1 - rate) + b,
// and the T masked kernels side by side make one [dim, T * C] matmul on the features that
// embedding already computed (embeddings/mc-column.ts; ~3% of a forward pass's arithmetic
// at T = 32; `npm run bench -- speed` prints its throughput).
//
// The masks are drawn once from a fixed seed and shared by every row: each row still gets T
// independent dropout draws (what MC dropout asks of a row), and its column depends on
// nothing but the model and the image -- not on the batch it fell in, nor on the run.
import { tf } from './tf.js';
import { makeRng } from './rng.js';

/**
 * Passes per sample. Chosen on the development distractor kinds only: worst AUROC over
 * missegmented / scribble / noise / fashion at 20k and 60k training images, averaged over
 * five mask seeds, T = 4: 0.68, 8: 0.73, 16: 0.79, 32: 0.81 (docs/score-selection/mc-disagreement.md,
 * which capped T at 32 for cost). With few passes the column is mostly ties and seed noise.
 */
export const MC_PASSES = 32;
/**
 * Fixed so that a model's column is reproducible; not tuned (its development worst AUROC,
 * 0.76, is at the low end of the five seeds' 0.79-0.82).
 */
export const MC_SEED = 20261127;

/**
 * passes x dim keep-masks (1 keep, 0 drop) for dropout at `rate`, row t = pass t. No pass
 * drops every unit (a redraw would be needed only for tiny dims; dim 128 at 0.15 never does).
 */
export function dropoutMasks(passes: number, dim: number, rate: number, seed = MC_SEED): Float32Array {
  if (!Number.isInteger(passes) || passes < 1) throw new Error(`dropoutMasks: passes must be >= 1, got ${passes}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`dropoutMasks: dim must be >= 1, got ${dim}`);
  if (!(rate > 0 && rate < 1)) throw new Error(`dropoutMasks: rate must be in (0, 1), got ${rate}`);
  const rng = makeRng(seed);
  const masks = new Float32Array(passes * dim);
  for (let t = 0; t < passes; t++) {
    let kept: number;
    do {
      kept = 0;
      for (let j = 0; j < dim; j++) {
        const keep = rng() >= rate ? 1 : 0;
        masks[t * dim + j] = keep;
        kept += keep;
      }
    } while (kept === 0);
  }
  return masks;
}

/**
 * Logits of every pass, [n, passes * C] (pass-major within a row), from the embedding's
 * pre-ReLU features [n, dim] and the last layer's kernel [dim, C] and bias [C]. Inverted
 * dropout, as in training: kept units are scaled by 1 / (1 - rate). Call inside tf.tidy.
 */
export function mcDropoutLogits(
  features: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  masks: Float32Array,
  passes: number,
  rate: number,
): tf.Tensor2D {
  const [dim, C] = kernel.shape;
  if (masks.length !== passes * dim)
    throw new Error(`mcDropoutLogits: ${masks.length} mask values for ${passes} passes x ${dim} units`);
  // [passes, dim] -> [dim, passes, 1] * [dim, 1, C] -> [dim, passes * C]
  const m = tf.transpose(tf.tensor2d(masks, [passes, dim])).reshape([dim, passes, 1]);
  const stacked = tf.mul(m, kernel.reshape([dim, 1, C])).reshape([dim, passes * C]);
  const scaled = tf.mul(stacked, 1 / (1 - rate)) as tf.Tensor2D;
  return tf.fused.matMul({ a: tf.relu(features), b: scaled, bias: tf.tile(bias, [passes]) }) as tf.Tensor2D;
}
