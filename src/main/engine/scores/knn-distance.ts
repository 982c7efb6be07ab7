// Feature-space OOD score (Sun et al. 2022, "Out-of-distribution detection with deep
// nearest neighbors"): cosine distance from a sample's L2-normalised embedding to its
// nearest training embeddings. An input unlike any training digit has no close neighbour
// even when the softmax is certain, which is exactly the failure the softmax hides.
import { rowCount } from './validate.js';

/**
 * 'kth': 1 - similarity of the k-th neighbour (Sun et al.). 'mean': 1 - mean similarity of
 * the k neighbours.
 */
export type KnnDistanceMode = 'kth' | 'mean';

/**
 * 'mean', chosen on development data only: a CNN trained 3 epochs on 18,000 MNIST digits,
 * MNIST test digits against the demo pool's outlier kinds (missegmented, scribble, noise,
 * fashion; never the evaluation-only kinds), AUROC averaged over kinds / FPR@95TPR:
 *   k = 5:  kth 98.03 / 9.4%   mean 98.12 / 8.9%
 *   k = 10: kth 97.87 / 11.6%  mean 98.04 / 9.8%
 *   k = 50: kth 97.41 / 13.8%  mean 97.71 / 12.0%
 * The mean is better at every k and degrades more slowly as k grows: one stray training
 * sample near an outlier moves the k-th similarity but only a tenth of the mean.
 */
export const KNN_DISTANCE_MODE: KnnDistanceMode = 'mean';

/**
 * knn_distance of every query from its Q x k similarity rows (most similar first, as
 * KnnIndex.search returns them). In [0, 2] for unit vectors; higher = more doubtful.
 */
export function knnDistance(sims: Float32Array, k: number, mode: KnnDistanceMode = KNN_DISTANCE_MODE): Float32Array {
  const n = rowCount(sims, k, 'knn sims');
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let v: number;
    if (mode === 'kth') {
      v = sims[o + k - 1];
    } else {
      let s = 0;
      for (let j = 0; j < k; j++) s += sims[o + j];
      v = s / k;
    }
    if (!Number.isFinite(v)) throw new Error(`knn sims: row ${i} is not finite (${v})`);
    out[i] = 1 - v;
  }
  return out;
}

/**
 * knnDistance relative to where the sample landed: its own distance minus the mean distance
 * of its k neighbours to THEIR neighbours (each searched among the other training samples).
 * A digit in a sparse corner of the training set (an unusual 7) has neighbours that are far
 * apart too, while a symbol that lands among ordinary digits is farther out than any of them;
 * the plain distance cannot tell those two apart. (The difference form of the local outlier
 * factor; chosen on development data, docs/score-selection/symbols-dev-kind.md.)
 *
 * `neighbours` holds Q x k row indices, `rowDistance` the knnDistance of every row a
 * neighbour may be; a neighbour whose distance is unknown (NaN) is a caller's bug.
 */
export function knnExcess(
  distance: Float32Array,
  neighbours: Int32Array,
  k: number,
  rowDistance: Float32Array,
): Float32Array {
  const n = rowCount(neighbours, k, 'knn neighbours');
  if (distance.length !== n) throw new Error(`knn distance has ${distance.length} rows for ${n} neighbour rows`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) {
      const d = rowDistance[neighbours[i * k + j]];
      if (!Number.isFinite(d))
        throw new Error(`knn excess: neighbour ${neighbours[i * k + j]} of row ${i} has no distance`);
      s += d;
    }
    out[i] = distance[i] - s / k;
  }
  return out;
}
