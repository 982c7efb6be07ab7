// Row-wise concatenation of several per-sample feature blocks (e.g. the unit embedding and
// the first layer's channel statistics), for the selected rows only: the Mahalanobis
// distance is fitted on and applied to such joint vectors (pipeline/score-rows.ts).

export interface FeatureBlock {
  /** n * dim row-major values. */
  values: Float32Array;
  dim: number;
}

/** rows.length x (sum of dims): for each row in `rows`, its blocks side by side, in order. */
export function jointRows(
  rows: ArrayLike<number>,
  blocks: readonly FeatureBlock[],
): { vectors: Float32Array; dim: number } {
  const [first] = blocks;
  if (!first) throw new Error('jointRows: no feature blocks');
  const n = first.dim > 0 ? first.values.length / first.dim : 0;
  blocks.forEach((b, i) => {
    if (!(Number.isInteger(b.dim) && b.dim > 0)) throw new Error(`jointRows: block ${i} has dim ${b.dim}`);
    if (b.values.length !== n * b.dim)
      throw new Error(`jointRows: block ${i} has ${b.values.length} values, expected ${n} rows x ${b.dim}`);
  });
  const dim = blocks.reduce((s, b) => s + b.dim, 0);
  const out = new Float32Array(rows.length * dim);
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j]!;
    if (!(Number.isInteger(r) && r >= 0 && r < n)) throw new Error(`jointRows: row ${r} is not below ${n}`);
    let off = j * dim;
    for (const b of blocks) {
      out.set(b.values.subarray(r * b.dim, (r + 1) * b.dim), off);
      off += b.dim;
    }
  }
  return { vectors: out, dim };
}
