// Evaluation metrics for doubt scores (higher score = more doubtful = predicted positive).
// Used by benchmarks and tests to judge scores, never by the scores themselves.

/** Comparator that stays consistent for +-Infinity (a subtraction would give NaN). */
function cmp(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function checkNotNaN(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new Error(`${what}: value ${i} is NaN`);
  }
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (the Mann-Whitney U statistic with mid-ranks), in
 * O(n log n). 1 = perfectly separated, 0.5 = chance, 0 = perfectly reversed.
 */
export function auroc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  const np = positives.length;
  const nn = negatives.length;
  if (np === 0 || nn === 0) throw new Error(`auroc: needs both positives (${np}) and negatives (${nn})`);
  checkNotNaN(positives, 'auroc positives');
  checkNotNaN(negatives, 'auroc negatives');
  const all = new Float64Array(np + nn);
  all.set(positives);
  all.set(negatives, np);
  // order is a permutation of all's indices, and i <= j < order.length below.
  const order = Array.from({ length: all.length }, (_, i) => i).sort((a, b) => cmp(all[a]!, all[b]!));
  // Sum of the positives' mid-ranks (1-based).
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && all[order[j + 1]!] === all[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (order[t]! < np) rankSum += midRank;
    i = j + 1;
  }
  return (rankSum - (np * (np + 1)) / 2) / (np * nn);
}

/**
 * FPR at a given TPR, in the OOD-literature convention (Hendrycks & Gimpel 2017, Liu et al.
 * 2020): in-distribution samples are the positives to accept. The threshold is the lowest
 * score at or below which a fraction `tpr` of the in-distribution samples lie; the result
 * is the fraction of out-of-distribution samples at or below it, i.e. wrongly accepted as
 * in-distribution. Lower is better; 0 = every outlier scores above 95% of the inliers.
 * Outliers tied with the threshold count as accepted (the pessimistic reading).
 */
export function fprAtTpr(inDist: ArrayLike<number>, outDist: ArrayLike<number>, tpr = 0.95): number {
  if (!(tpr > 0 && tpr <= 1)) throw new Error(`fprAtTpr: tpr must be in (0, 1], got ${tpr}`);
  if (inDist.length === 0 || outDist.length === 0) {
    throw new Error(
      `fprAtTpr: needs in-distribution (${inDist.length}) and out-of-distribution (${outDist.length}) scores`,
    );
  }
  checkNotNaN(inDist, 'fprAtTpr inDist');
  checkNotNaN(outDist, 'fprAtTpr outDist');
  const sorted = Float64Array.from(inDist as ArrayLike<number>).sort();
  const threshold = sorted[Math.max(0, Math.ceil(tpr * sorted.length - 1e-9) - 1)]!; // tpr <= 1: at most the last
  let accepted = 0;
  for (let i = 0; i < outDist.length; i++) if (outDist[i]! <= threshold) accepted++;
  return accepted / outDist.length;
}

/**
 * Precision among the k highest-scoring samples. When ties straddle the cut-off, the tied
 * group contributes its positive rate for the places it fills (the expected precision under
 * a random order of ties), so the result does not depend on input order.
 */
export function precisionAtK(scores: ArrayLike<number>, isPositive: ArrayLike<boolean | number>, k: number): number {
  if (scores.length !== isPositive.length)
    throw new Error(`precisionAtK: ${scores.length} scores but ${isPositive.length} labels`);
  if (!Number.isInteger(k) || k < 1 || k > scores.length)
    throw new Error(`precisionAtK: k must be in 1..${scores.length}, got ${k}`);
  checkNotNaN(scores, 'precisionAtK scores');
  // order is a permutation of the indices of scores (and of isPositive, the same length).
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => cmp(scores[b]!, scores[a]!));
  let hits = 0;
  let taken = 0;
  for (let i = 0; i < order.length && taken < k;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const group = j - i + 1;
    let pos = 0;
    for (let t = i; t <= j; t++) if (isPositive[order[t]!]) pos++;
    const take = Math.min(group, k - taken);
    hits += (pos * take) / group;
    taken += take;
    i = j + 1;
  }
  return hits / k;
}
