// The development figures: AUROC (ties averaged), precision@k, cosine kNN distance, label flips.
import { tf } from '../../src/main/engine/model/tf.js';
import { makeRng } from '../../src/main/engine/model/rng.js';

/** Area under the ROC curve of `score` for positives (1) against negatives (0). */
export function auroc(score: ArrayLike<number>, positive: ArrayLike<number>): number {
  const idx = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[a]! - score[b]!);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && score[idx[j + 1]!] === score[idx[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (positive[idx[k]!]) {
        rankSum += r;
        pos++;
      }
    i = j + 1;
  }
  const neg = idx.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Share of positives among the k highest scores, k = the number of positives. */
export function precisionAtK(score: ArrayLike<number>, positive: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < positive.length; i++) k += positive[i] ? 1 : 0;
  const idx = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  let hit = 0;
  for (let i = 0; i < k; i++) hit += positive[idx[i]!] ? 1 : 0;
  return hit / k;
}

/** 1 - mean cosine similarity of each query row to its k nearest reference rows. */
export function knnDistance(q: Float32Array, ref: Float32Array, dim: number, k: number): Float32Array {
  return tf.tidy(() => {
    const unit = (a: Float32Array) => {
      const t = tf.tensor2d(a, [a.length / dim, dim]);
      return tf.div(t, tf.maximum(tf.norm(t, 2, 1, true), 1e-12));
    };
    const sims = tf.matMul(unit(q), unit(ref), false, true);
    const top = tf.topk(sims, k).values;
    return tf.sub(1, tf.mean(top, 1)).dataSync() as Float32Array;
  });
}

/** frac of the labels moved to another class at random (seeded); flipped[i] = 1 where moved. */
export function flipLabels(
  labels: Int32Array,
  C: number,
  frac: number,
  seed: number,
): { noisy: Int32Array; flipped: Uint8Array } {
  const rng = makeRng(seed);
  const noisy = Int32Array.from(labels);
  const flipped = new Uint8Array(labels.length);
  const order = Array.from({ length: labels.length }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const i of order.slice(0, Math.round(frac * labels.length))) {
    noisy[i] = (labels[i]! + 1 + Math.floor(rng() * (C - 1))) % C;
    flipped[i] = 1;
  }
  return { noisy, flipped };
}
