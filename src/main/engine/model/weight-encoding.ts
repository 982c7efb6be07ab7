// How the shipped model's weights are stored (pipeline/shipped-model.ts): int8 with a
// float32 scale per output channel, float16, or float32. Pure value coding, no files.
import { rowCount } from '../scores/validate.js';

export type WeightEncoding = 'int8' | 'float16' | 'float32';

/** One weight's entry in the shipped model.json. */
export interface WeightEntry {
  name: string;
  shape: number[];
  encoding: WeightEncoding;
  /** Byte offset and length of the values in weights.bin. */
  offset: number;
  bytes: number;
  /** int8 only: one scale per output channel (the last axis). */
  scales?: number[];
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half from a float (round to nearest even; overflow to Inf; subnormals kept). */
export function toHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!; // u32 views f32's one value
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  e = h >>> 10;
  return sign | (e >= 0x1f ? 0x7c00 : h);
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function encodeWeight(
  values: Float32Array,
  shape: number[],
  encoding: WeightEncoding,
): { bytes: Uint8Array; scales?: number[] } {
  if (encoding === 'float32') return { bytes: new Uint8Array(values.slice().buffer) };
  if (encoding === 'float16') {
    return { bytes: new Uint8Array(Uint16Array.from(values, toHalf).buffer) };
  }
  // Symmetric int8 per output channel: one channel's weights share a range, and channels
  // differ in range by an order of magnitude, so a single scale would waste most levels.
  const channels = shape.at(-1);
  if (channels === undefined) throw new Error('encodeWeight: int8 needs a shape with an output-channel axis, got []');
  // Whole rows of channels (0 channels would give NaN scales): i % channels < scales.length.
  rowCount(values, channels, 'encodeWeight: int8 values');
  const scales = new Array<number>(channels).fill(0);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    scales[c] = Math.max(scales[c]!, Math.abs(values[i]!));
  }
  for (let c = 0; c < channels; c++) scales[c] = scales[c]! > 0 ? Math.fround(scales[c]! / 127) : 1;
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = Math.max(-127, Math.min(127, Math.round(values[i]! / scales[i % channels]!)));
  return { bytes: new Uint8Array(out.buffer), scales };
}

export function decodeWeight(bin: Uint8Array, w: WeightEntry, size: number, where: string): Float32Array {
  const per = w.encoding === 'int8' ? 1 : w.encoding === 'float16' ? 2 : w.encoding === 'float32' ? 4 : 0;
  if (per === 0) throw new Error(`${where}: weight ${w.name} has unknown encoding ${JSON.stringify(w.encoding)}`);
  if (w.bytes !== size * per || w.offset < 0 || w.offset + w.bytes > bin.length)
    throw new Error(`${where}: weight ${w.name} needs ${size * per} bytes at ${w.offset}; the file has ${bin.length}`);
  const raw = new Uint8Array(bin.buffer, bin.byteOffset + w.offset, w.bytes).slice();
  if (w.encoding === 'float32') return new Float32Array(raw.buffer);
  const out = new Float32Array(size);
  if (w.encoding === 'float16') {
    const h = new Uint16Array(raw.buffer); // size values: w.bytes = 2 * size (checked above)
    for (let i = 0; i < size; i++) out[i] = fromHalf(h[i]!);
    return out;
  }
  const channels = w.shape.at(-1);
  if (channels === undefined) throw new Error(`${where}: weight ${w.name} has no output-channel axis`);
  // size values in whole rows of channels, so i % channels < scales.length below.
  rowCount(out, channels, `${where}: weight ${w.name}`);
  const scales = w.scales;
  if (!Array.isArray(scales) || scales.length !== channels || !scales.every((s) => Number.isFinite(s)))
    throw new Error(`${where}: weight ${w.name} needs ${channels} finite scales`);
  const q = new Int8Array(raw.buffer);
  for (let i = 0; i < size; i++) out[i] = q[i]! * scales[i % channels]!;
  return out;
}
