// Packing chosen rows of a row-major matrix, in the order asked for: the kNN base, the
// queries, the rows a pass scores.
import { expectIndices, rowCount } from '../scores/validate.js';

/** The `width`-value rows `rows` of `src`, packed in that order. */
export function gatherRows<T extends Float32Array | Int32Array | Uint8Array>(
  src: T,
  width: number,
  rows: ArrayLike<number>,
  make: (m: number) => T,
): T {
  // Every row then lies inside src (subarray would clamp a row past its end to a short one).
  expectIndices(rows, rowCount(src, width, 'gatherRows source'), 'gathered rows');
  const out = make(rows.length * width);
  for (let j = 0; j < rows.length; j++) out.set(src.subarray(rows[j]! * width, (rows[j]! + 1) * width), j * width);
  return out;
}

/** gatherRows of float rows. */
export function gatherFloatRows(src: Float32Array, width: number, rows: ArrayLike<number>): Float32Array {
  return gatherRows(src, width, rows, (m) => new Float32Array(m));
}
