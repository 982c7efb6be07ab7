// Detection metrics for the benchmarks. Scores: higher = more likely positive.

/** Area under the ROC curve (Mann-Whitney U with average ranks for ties). */
export function auroc(scores: readonly number[], positive: readonly boolean[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (positive[idx[t]]) (rankSumPos += avgRank), nPos++;
    i = j + 1;
  }
  const nNeg = scores.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** False-positive rate at the threshold that catches `tpr` of the positives. */
export function fprAtTpr(scores: readonly number[], positive: readonly boolean[], tpr: number): number {
  const pos = scores.filter((_, i) => positive[i]).sort((a, b) => b - a);
  const neg = scores.filter((_, i) => !positive[i]);
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  const threshold = pos[Math.max(0, Math.ceil(tpr * pos.length) - 1)];
  return neg.filter((s) => s >= threshold).length / neg.length;
}

/** Share of positives among the k highest scores. */
export function precisionAtK(scores: readonly number[], positive: readonly boolean[], k: number): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let hits = 0;
  for (let i = 0; i < Math.min(k, idx.length); i++) if (positive[idx[i]]) hits++;
  return hits / k;
}
