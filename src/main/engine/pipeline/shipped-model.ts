// The demo's pretrained checkpoint, shipped in resources/demo-model/ so a first launch does
// not spend half a minute training what every install would train identically. It is the
// same recipe the demo trains (data, labels, hold-out split, seed, options, architecture:
// its recipe version is computeModelVersion of them), with the weights stored as int8 and a
// float32 scale per output channel (or float16), which keeps every file under 1 MB.
// Loading validates everything against the architecture this build has: a checkpoint from
// another architecture is refused with a message, and the caller trains instead.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cnn, CnnClassifier, CNN_ARCH, WEIGHT_NAMES, weightShapes, type WeightName } from '../model/cnn.js';
import type { Provenance } from '../model/checkpoint.js';

export const SHIPPED_MODEL_FORMAT = 'unsure-shipped-cnn';
export type WeightEncoding = 'int8' | 'float16' | 'float32';

export interface ShippedProvenance extends Provenance {
  /** computeModelVersion of the recipe: what a training on the same data would be named. */
  recipeVersion: string;
  encoding: WeightEncoding;
  /** How the folder was produced (command line), for the README and the curious. */
  producedBy: string;
}

interface WeightEntry {
  name: string;
  shape: number[];
  encoding: WeightEncoding;
  /** Byte offset and length of the values in weights.bin. */
  offset: number;
  bytes: number;
  /** int8 only: one scale per output channel (the last axis). */
  scales?: number[];
}

interface ShippedJson {
  format: typeof SHIPPED_MODEL_FORMAT;
  arch: string;
  classes: string[];
  provenance: ShippedProvenance;
  weights: WeightEntry[];
  /** The kNN base's own distances, in NEIGHBOUR_DISTANCES_FILE as float32. */
  neighbourDistances?: { k: number; rows: number; baseHash: string };
}

/**
 * Every kNN base row's own kNN distance (k neighbours, itself excluded), in base order, with
 * a hash of the base's sample ids. A first pass of the demo needs them for knnExcess, and
 * searching them would cost a first launch 4 s (docs/score-selection/knn-excess-cost.md).
 */
export interface ShippedDistances {
  k: number;
  baseHash: string;
  values: Float32Array;
}

export interface LoadedShippedModel {
  model: CnnClassifier;
  provenance: ShippedProvenance;
  neighbourDistances: ShippedDistances | null;
}

export const NEIGHBOUR_DISTANCES_FILE = 'neighbour-distances.bin';

/** Identifies a kNN base: its rows' sample ids, in order. */
export function baseHashOf(ids: readonly string[], baseRows: ArrayLike<number>): string {
  const h = createHash('sha256');
  for (let j = 0; j < baseRows.length; j++) h.update(`${ids[baseRows[j]]}\n`);
  return h.digest('hex').slice(0, 16);
}

/**
 * The shipped demo model's folder: $UNSURE_DEMO_MODEL when set, else resources/demo-model
 * found by walking up from this module (sources run from src/main/engine/pipeline, the
 * bundle from out/main). Null when there is none.
 */
export function shippedDemoModelDir(): string | null {
  const env = process.env.UNSURE_DEMO_MODEL;
  if (env !== undefined) return env === '' ? null : path.resolve(env);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'resources', 'demo-model');
    if (existsSync(path.join(candidate, 'model.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** The recipe version a shipped folder claims, without loading its weights (null if unreadable). */
export async function shippedRecipeVersion(dir: string): Promise<string | null> {
  try {
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as Partial<ShippedJson>;
    return json.format === SHIPPED_MODEL_FORMAT ? (json.provenance?.recipeVersion ?? null) : null;
  } catch {
    return null;
  }
}

// ---- float16 ---------------------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half from a float (round to nearest even; overflow to Inf; subnormals kept). */
export function toHalf(v: number): number {
  f32[0] = v;
  const x = u32[0];
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

// ---- encode / decode -------------------------------------------------------------------

function encode(
  values: Float32Array,
  shape: number[],
  encoding: WeightEncoding,
): { bytes: Uint8Array; scales?: number[] } {
  if (encoding === 'float32') return { bytes: new Uint8Array(values.slice().buffer) };
  if (encoding === 'float16') {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = toHalf(values[i]);
    return { bytes: new Uint8Array(out.buffer) };
  }
  // Symmetric int8 per output channel: one channel's weights share a range, and channels
  // differ in range by an order of magnitude, so a single scale would waste most levels.
  const channels = shape[shape.length - 1];
  const scales = new Array<number>(channels).fill(0);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    scales[c] = Math.max(scales[c], Math.abs(values[i]));
  }
  for (let c = 0; c < channels; c++) scales[c] = scales[c] > 0 ? Math.fround(scales[c] / 127) : 1;
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = Math.max(-127, Math.min(127, Math.round(values[i] / scales[i % channels])));
  return { bytes: new Uint8Array(out.buffer), scales };
}

function decode(bin: Buffer, w: WeightEntry, size: number, where: string): Float32Array {
  const per = w.encoding === 'int8' ? 1 : w.encoding === 'float16' ? 2 : w.encoding === 'float32' ? 4 : 0;
  if (per === 0) throw new Error(`${where}: weight ${w.name} has unknown encoding ${JSON.stringify(w.encoding)}`);
  if (w.bytes !== size * per || w.offset < 0 || w.offset + w.bytes > bin.length)
    throw new Error(`${where}: weight ${w.name} needs ${size * per} bytes at ${w.offset}; the file has ${bin.length}`);
  const raw = new Uint8Array(bin.buffer, bin.byteOffset + w.offset, w.bytes).slice();
  if (w.encoding === 'float32') return new Float32Array(raw.buffer);
  const out = new Float32Array(size);
  if (w.encoding === 'float16') {
    const h = new Uint16Array(raw.buffer);
    for (let i = 0; i < size; i++) out[i] = fromHalf(h[i]);
    return out;
  }
  const channels = w.shape[w.shape.length - 1];
  const scales = w.scales;
  if (!Array.isArray(scales) || scales.length !== channels || !scales.every((s) => Number.isFinite(s)))
    throw new Error(`${where}: weight ${w.name} needs ${channels} finite scales`);
  const q = new Int8Array(raw.buffer);
  for (let i = 0; i < size; i++) out[i] = q[i] * scales[i % channels];
  return out;
}

/**
 * Writes the folder (model.json + weights.bin) under a temporary name and renames it into
 * place. Biases stay float32 whatever the encoding: they are a few hundred numbers, and an
 * error in a bias shifts every output of its channel.
 */
export async function saveShippedModel(
  dir: string,
  model: CnnClassifier,
  provenance: ShippedProvenance,
): Promise<void> {
  const arrays = await model.cnn.toArrays();
  const shapes = weightShapes(model.classes.length);
  const chunks: Uint8Array[] = [];
  const weights: WeightEntry[] = [];
  let offset = 0;
  for (const name of WEIGHT_NAMES) {
    const encoding: WeightEncoding = name.endsWith('B') ? 'float32' : provenance.encoding;
    const { bytes, scales } = encode(arrays[name], shapes[name], encoding);
    // Keep every section 4-byte aligned so float views need no copy of misaligned data.
    const pad = (4 - (bytes.length % 4)) % 4;
    weights.push({ name, shape: shapes[name], encoding, offset, bytes: bytes.length, ...(scales ? { scales } : {}) });
    chunks.push(bytes, new Uint8Array(pad));
    offset += bytes.length + pad;
  }
  const json: ShippedJson = {
    format: SHIPPED_MODEL_FORMAT,
    arch: CNN_ARCH,
    classes: model.classes,
    provenance,
    weights,
  };
  const target = path.resolve(dir);
  const tmp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`;
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(path.join(tmp, 'weights.bin'), Buffer.concat(chunks));
    await writeFile(path.join(tmp, 'model.json'), `${JSON.stringify(json, null, 1)}\n`);
    // Keep anything else in the folder (the README) by moving only our two files.
    await mkdir(target, { recursive: true });
    for (const f of ['weights.bin', 'model.json']) await rename(path.join(tmp, f), path.join(target, f));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Loads and dequantizes a shipped folder. Throws, naming the file and the problem, when it
 * is unreadable, from another architecture, or its weights do not fit this build's shapes.
 */
export async function loadShippedModel(dir: string): Promise<LoadedShippedModel> {
  const jsonPath = path.join(dir, 'model.json');
  let json: ShippedJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as ShippedJson;
  } catch (err) {
    throw new Error(`${jsonPath}: cannot read the shipped model: ${(err as Error).message}`, { cause: err });
  }
  if (json.format !== SHIPPED_MODEL_FORMAT)
    throw new Error(`${jsonPath}: not a shipped Unsure model (format ${JSON.stringify(json.format)})`);
  if (json.arch !== CNN_ARCH)
    throw new Error(`${jsonPath}: built for architecture ${json.arch}, this version has ${CNN_ARCH}`);
  if (!Array.isArray(json.classes) || json.classes.length < 2)
    throw new Error(`${jsonPath}: needs a class list of at least 2 classes`);
  if (!Array.isArray(json.weights)) throw new Error(`${jsonPath}: no weight list`);
  const binPath = path.join(dir, 'weights.bin');
  const bin = await readFile(binPath);
  const shapes = weightShapes(json.classes.length);
  const byName = new Map(json.weights.map((w) => [w.name, w]));
  const arrays = {} as Record<WeightName, Float32Array>;
  for (const name of WEIGHT_NAMES) {
    const w = byName.get(name);
    if (!w) throw new Error(`${jsonPath}: weight ${name} is missing`);
    const want = shapes[name];
    if (w.shape.length !== want.length || w.shape.some((d, i) => d !== want[i]))
      throw new Error(`${jsonPath}: weight ${name} has shape [${w.shape}], this architecture needs [${want}]`);
    arrays[name] = decode(
      bin,
      w,
      want.reduce((a, b) => a * b, 1),
      binPath,
    );
  }
  if (json.weights.length !== WEIGHT_NAMES.length)
    throw new Error(`${jsonPath}: ${json.weights.length} weights where the architecture has ${WEIGHT_NAMES.length}`);
  const neighbourDistances = json.neighbourDistances ? await readDistances(dir, json.neighbourDistances) : null;
  const cnn = Cnn.fromArrays(json.classes.length, arrays);
  return { model: new CnnClassifier(cnn, json.classes), provenance: json.provenance, neighbourDistances };
}

async function readDistances(
  dir: string,
  entry: NonNullable<ShippedJson['neighbourDistances']>,
): Promise<ShippedDistances> {
  const file = path.join(dir, NEIGHBOUR_DISTANCES_FILE);
  const bin = await readFile(file);
  if (!Number.isInteger(entry.rows) || bin.length !== entry.rows * 4)
    throw new Error(`${file}: ${bin.length} bytes where model.json promises ${entry.rows} float32 distances`);
  const values = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length));
  if (!values.every((v) => v >= 0 && v <= 2)) throw new Error(`${file}: a distance lies outside [0, 2]`);
  return { k: entry.k, baseHash: entry.baseHash, values };
}

/**
 * Adds the kNN base's own distances to a saved folder: the file first, then model.json
 * pointing at it (each written under a temporary name and renamed into place).
 */
export async function saveShippedDistances(dir: string, d: ShippedDistances): Promise<void> {
  const jsonPath = path.join(dir, 'model.json');
  const json = JSON.parse(await readFile(jsonPath, 'utf8')) as ShippedJson;
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const binPath = path.join(dir, NEIGHBOUR_DISTANCES_FILE);
  await writeFile(`${binPath}.tmp-${stamp}`, new Uint8Array(d.values.buffer, d.values.byteOffset, d.values.byteLength));
  await rename(`${binPath}.tmp-${stamp}`, binPath);
  json.neighbourDistances = { k: d.k, rows: d.values.length, baseHash: d.baseHash };
  await writeFile(`${jsonPath}.tmp-${stamp}`, `${JSON.stringify(json, null, 1)}\n`);
  await rename(`${jsonPath}.tmp-${stamp}`, jsonPath);
}
