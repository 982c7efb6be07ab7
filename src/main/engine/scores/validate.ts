// Shape checks shared by the score functions: a wrong stride silently misreads every row
// after the first, so every entry point checks it and names the argument at fault.

/** Throws unless `values` holds whole rows of `cols` values; returns the row count. */
export function rowCount(values: ArrayLike<number>, cols: number, what: string): number {
  if (!Number.isInteger(cols) || cols < 1)
    throw new Error(`${what}: column count must be a positive integer, got ${cols}`);
  if (values.length % cols !== 0) {
    throw new Error(`${what}: length ${values.length} is not a multiple of ${cols} columns`);
  }
  return values.length / cols;
}

/** Throws unless `values.length === n`. */
export function expectLength(values: ArrayLike<number>, n: number, what: string): void {
  if (values.length !== n) throw new Error(`${what}: expected ${n} values, got ${values.length}`);
}

export function expectPositive(x: number, what: string): void {
  if (!(Number.isFinite(x) && x > 0)) throw new Error(`${what}: expected a finite number > 0, got ${x}`);
}

/** Throws unless every entry of `indices` is an integer row in [0, n): they index n-row arrays. */
export function expectIndices(indices: ArrayLike<number>, n: number, what: string): void {
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i] as number; // i < indices.length
    if (!(Number.isInteger(r) && r >= 0 && r < n)) throw new Error(`${what}: entry ${i} is ${r}, not in 0..${n - 1}`);
  }
}
