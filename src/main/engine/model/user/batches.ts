// A user's model run on n decoded images: bytes scaled into the model's layout, in batches
// of the size the model fixes (the last one padded with zeros, its rows dropped), or all at
// once when it takes any batch size.
import type { Recipe } from '../../../../shared/recipe.js';
import type { InputGeometry, Network } from './network.js';
import { toModelInput } from './pixels.js';

export function batchDims(g: InputGeometry, r: Recipe, n: number): number[] {
  const { height: h, width: w, channels: c } = r.input;
  if (g.layout === 'NHWC') return [n, h, w, c];
  if (g.layout === 'NCHW') return [n, c, h, w];
  if (g.layout === 'NHW') return [n, h, w];
  return [n, h * w * c];
}

/** Runs n images in batches of the model's fixed batch size (the last one padded), or all at once. */
export async function runBatches(
  net: Network,
  g: InputGeometry,
  r: Recipe,
  pixels: Uint8Array,
  n: number,
  tables: Float32Array[],
): Promise<Map<string, Float32Array>> {
  const step = g.batch ?? Math.max(n, 1);
  const parts = new Map<string, Float32Array[]>();
  for (let first = 0; first < n; first += step) {
    const m = Math.min(step, n - first);
    let x = toModelInput(pixels, first, m, r, g.layout, tables);
    if (m < step) {
      const padded = new Float32Array((x.length / m) * step);
      padded.set(x);
      x = padded;
    }
    const res = await net.run(x, batchDims(g, r, step));
    for (const [name, v] of res) {
      const keep = v.subarray(0, (v.length / step) * m);
      parts.set(name, [...(parts.get(name) ?? []), keep]);
    }
  }
  const out = new Map<string, Float32Array>();
  for (const [name, ps] of parts) {
    const all = new Float32Array(ps.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of ps) {
      all.set(p, at);
      at += p.length;
    }
    out.set(name, all);
  }
  return out;
}
