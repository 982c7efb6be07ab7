// For many classes a confusion matrix is too big to read (120 x 120 cells): the largest
// off-diagonal cells, as a list.

/** Past this many classes Insights lists the top confusions instead of drawing the matrix. */
export const MATRIX_MAX_CLASSES = 20;

export interface Confusion {
  given: string;
  predicted: string;
  count: number;
  /** Of the samples given this label. */
  share: number;
}

/** The `n` largest cells where the prediction is not the given label, largest first. */
export function topConfusions(
  rows: readonly string[],
  cols: readonly string[],
  matrix: readonly (readonly number[])[],
  n: number,
): Confusion[] {
  const out: Confusion[] = [];
  matrix.forEach((cells, r) => {
    const given = rows[r];
    const total = cells.reduce((s, v) => s + v, 0);
    cells.forEach((count, c) => {
      const predicted = cols[c];
      if (given === undefined || predicted === undefined || predicted === given || count === 0) return;
      out.push({ given, predicted, count, share: count / total });
    });
  });
  return out.sort((a, b) => b.count - a.count || b.share - a.share).slice(0, n);
}
