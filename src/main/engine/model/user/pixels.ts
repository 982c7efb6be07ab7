// Decoded bytes (NHWC, as the recipe decodes them) to the floats a model takes: the recipe's
// value scaling (byte * rescale - mean[c]) / std[c] by a per-channel table, then the model's
// layout. NHWC, NHW and flat inputs are the same bytes in the same order; NCHW is transposed.
import type { Recipe } from '../../../../shared/recipe.js';
import type { Layout } from './network.js';

export function scaleTables(r: Recipe): Float32Array[] {
  return Array.from({ length: r.input.channels }, (_, c) =>
    Float32Array.from({ length: 256 }, (_, v) => (v * r.rescale - r.mean[c]!) / r.std[c]!),
  );
}

/** n images of recipe.input from `pixels` (from image `first`) into floats of `layout`. */
export function toModelInput(
  pixels: Uint8Array,
  first: number,
  n: number,
  r: Recipe,
  layout: Layout,
  tables: Float32Array[] = scaleTables(r),
): Float32Array {
  const { height: h, width: w, channels: ch } = r.input;
  const per = h * w * ch;
  if (pixels.length < (first + n) * per)
    throw new RangeError(
      `model input: ${pixels.length} bytes is fewer than ${first + n} images of ${h} x ${w} x ${ch}`,
    );
  const out = new Float32Array(n * per);
  const base = first * per;
  if (layout !== 'NCHW' || ch === 1) {
    for (let j = 0; j < n * per; j++) out[j] = tables[j % ch]![pixels[base + j]!]!;
    return out;
  }
  const plane = h * w;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < ch; c++) {
      const t = tables[c]!;
      for (let p = 0; p < plane; p++) out[i * per + c * plane + p] = t[pixels[base + i * per + p * ch + c]!]!;
    }
  return out;
}
