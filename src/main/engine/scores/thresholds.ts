// Thresholds and percentiles against a reference distribution: the scores of held-out
// in-distribution samples (labelled samples the model did not train on).

/** Ascending copy without NaNs, the form every function below takes as a reference. */
export function sortedReference(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort();
}

/**
 * The score below or at which a fraction `tpr` of the reference lies: the order statistic
 * at rank ceil(tpr * n). A sample is flagged when its score is strictly above it, so at
 * most 1 - tpr of in-distribution samples are flagged. Throws on an empty reference.
 */
export function thresholdAtTpr(sortedRef: Float32Array, tpr = 0.95): number {
  if (!(tpr > 0 && tpr <= 1)) throw new Error(`thresholdAtTpr: tpr must be in (0, 1], got ${tpr}`);
  if (sortedRef.length === 0) throw new Error('thresholdAtTpr: empty reference (no held-out in-distribution samples)');
  const rank = Math.ceil(tpr * sortedRef.length - 1e-9);
  return sortedRef[Math.max(0, rank - 1)]!; // 1 <= rank <= length
}

/** q-quantile (0..1) of a sorted reference by linear interpolation between order statistics. */
export function quantile(sortedRef: Float32Array, q: number): number {
  if (sortedRef.length === 0) throw new Error('quantile: empty reference');
  // NaN would index nothing and answer NaN; other q are clamped to 0..1, so lo <= hi < length.
  if (Number.isNaN(q)) throw new Error('quantile: q is NaN');
  const pos = Math.min(1, Math.max(0, q)) * (sortedRef.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sortedRef.length - 1, lo + 1);
  return sortedRef[lo]! + (pos - lo) * (sortedRef[hi]! - sortedRef[lo]!);
}

/** Number of reference values strictly below `value` (binary search). */
export function countBelow(sortedRef: Float32Array, value: number): number {
  let lo = 0;
  let hi = sortedRef.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1; // lo <= mid < hi <= length
    if (sortedRef[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of reference values at or below `value`. */
export function countAtOrBelow(sortedRef: Float32Array, value: number): number {
  let lo = 0;
  let hi = sortedRef.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1; // lo <= mid < hi <= length
    if (sortedRef[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Percentile (0..100) of `value` in the reference, mid-rank for ties: below everything
 * gives 0, above everything 100, equal to every reference value 50. NaN for a NaN value or
 * an empty reference.
 */
export function percentileOf(sortedRef: Float32Array, value: number): number {
  if (Number.isNaN(value) || sortedRef.length === 0) return Number.NaN;
  const below = countBelow(sortedRef, value);
  const ties = countAtOrBelow(sortedRef, value) - below;
  return (100 * (below + ties / 2)) / sortedRef.length;
}
