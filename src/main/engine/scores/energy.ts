// Energy score (Liu et al. 2020): E(x) = -T * logsumexp(logits / T).
//
// The softmax divides the logits' overall scale away; the energy keeps it. In-distribution
// inputs drive at least one logit high (large logsumexp, very negative energy), inputs the
// network has no features for leave all logits small, so higher energy = more doubtful.
import { rowLogSumExp } from './softmax.js';
import { rowCount } from './validate.js';

/**
 * Energy of every row of N x C logits. `columns`, when given, restricts the logsumexp to
 * those classes: the OOD score passes the known classes only, because a model that has
 * learned an 'other' class answers an outlier with a high 'other' logit, and counting it
 * would make the outlier look in-distribution.
 */
export function energyScore(
  logits: Float32Array,
  numClasses: number,
  temperature = 1,
  columns?: readonly number[],
): Float32Array {
  const n = rowCount(logits, numClasses, 'logits');
  let src = logits;
  let width = numClasses;
  if (columns && columns.length !== numClasses) {
    if (columns.length === 0) throw new Error('energyScore: columns is empty');
    for (const c of columns) {
      if (!Number.isInteger(c) || c < 0 || c >= numClasses)
        throw new Error(`energyScore: column ${c} is not a class index below ${numClasses}`);
    }
    width = columns.length;
    src = new Float32Array(n * width);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < width; j++) src[i * width + j] = logits[i * numClasses + columns[j]!]!;
  }
  // columns hold class indices below numClasses (checked); lse has one value per row.
  const lse = rowLogSumExp(src, width, temperature);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = -temperature * lse[i]!;
  return out;
}
