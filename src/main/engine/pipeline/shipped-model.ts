// The demo's pretrained checkpoint, shipped in resources/demo-model/ so a first launch does
// not spend half a minute training what every install would train identically. It is the
// same recipe the demo trains (data, labels, hold-out split, seed, options, architecture:
// its recipe version is computeModelVersion of them), with the weights stored as int8 and a
// float32 scale per output channel (or float16), which keeps every file under 1 MB.
// Loading validates everything against the architecture this build has: a checkpoint from
// another architecture is refused with a message, and the caller trains instead.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Cnn, CnnClassifier, CNN_ARCH, WEIGHT_NAMES, weightShapes, type WeightName } from '../model/cnn.js';
import type { Provenance } from '../model/checkpoint.js';
import { decodeWeight, encodeWeight, type WeightEncoding, type WeightEntry } from '../model/weight-encoding.js';
import { itemAt } from '../../../shared/checked-index.js';
import { shippedResourceDir } from '../model/shipped-resource.js';

export const SHIPPED_MODEL_FORMAT = 'unsure-shipped-cnn';

export interface ShippedProvenance extends Provenance {
  /** computeModelVersion of the recipe: what a training on the same data would be named. */
  recipeVersion: string;
  encoding: WeightEncoding;
  /** How the folder was produced (command line), for the README and the curious. */
  producedBy: string;
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
export function baseHashOf(ids: readonly string[], baseRows: Iterable<number>): string {
  const h = createHash('sha256');
  for (const r of baseRows) h.update(`${itemAt(ids, r, 'sample ids')}\n`);
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
  return shippedResourceDir('demo-model', 'model.json');
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
    const { bytes, scales } = encodeWeight(arrays[name], shapes[name], encoding);
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
    arrays[name] = decodeWeight(
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
