// Feature-space OOD score (Sun et al. 2022, "Out-of-distribution detection with deep
// nearest neighbors"): cosine distance from a sample's L2-normalised embedding to its
// nearest training embeddings. An input unlike any training digit has no close neighbour
// even when the softmax is certain, which is exactly the failure the softmax hides.
import { rowCount } from './validate.js';

/**
 * knn_distance of every query from its Q x k similarity rows (most similar first, as
 * KnnIndex.search returns them): 1 - the mean similarity of the k neighbours (the mean
 * ranked better than the k-th neighbour's on development data: docs/score-selection/).
 * In [0, 2] for unit vectors; higher = more doubtful.
 */
export function knnDistance(sims: Float32Array, k: number): Float32Array {
  const n = rowCount(sims, k, 'knn sims'); // o + j < sims.length below
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let s = 0;
    for (let j = 0; j < k; j++) s += sims[o + j]!;
    const v = s / k;
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
  // A neighbour outside rowDistance (-1: pending) reads undefined, which the finiteness check refuses.
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) {
      const d = rowDistance[neighbours[i * k + j]!]!;
      if (!Number.isFinite(d))
        throw new Error(`knn excess: neighbour ${neighbours[i * k + j]} of row ${i} has no distance`);
      s += d;
    }
    out[i] = distance[i]! - s / k;
  }
  return out;
}
