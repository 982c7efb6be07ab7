// Saving and loading our CNN: one folder holding model.json (architecture, class list,
// provenance, weight manifest) and weights.bin (float32 little-endian, in WEIGHT_NAMES
// order), plus the MODEL_MARKER file saying Unsure made the folder. The folder is replaced
// through atomic-dir.ts, so a reader (or a kill) never finds a half-written checkpoint.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Cnn, CnnClassifier, CNN_ARCH, WEIGHT_NAMES, weightShapes, type WeightName } from './cnn.js';
import { recoverSiblings } from '../project/atomic-dir.js';
import { isModelFolder, packWeights, writeWeightsFolder } from './weights-folder.js';
import { MODEL_MARKER } from '../project/output-guard.js';
import { backendInfo } from './tf.js';
import type { TrainOptions } from './train.js';

export const CHECKPOINT_FORMAT = 'unsure-cnn-checkpoint';

export interface Provenance {
  modelVersion: string;
  /** Hash of the training images (their content ids) and labels. */
  dataHash: string;
  seed: number;
  options: TrainOptions;
  arch: string;
  libtensorflow: string;
  createdAt: string;
  /** Sample indices held out from training (the held-out accuracy was measured on them). */
  heldOutAccuracy?: number;
}

interface ModelJson {
  format: typeof CHECKPOINT_FORMAT;
  arch: string;
  classes: string[];
  provenance: Provenance;
  weights: { name: WeightName; shape: number[] }[];
  /** Free-form extra state the pipeline keeps with the model (e.g. held-out indices). */
  extra?: unknown;
}

/** modelVersion = hash(data hash, labels/classes, seed, options, architecture). */
export function computeModelVersion(dataHash: string, classes: string[], seed: number, options: TrainOptions): string {
  const key = JSON.stringify({ dataHash, classes, seed, options: canonicalOptions(options), arch: CNN_ARCH });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function canonicalOptions(o: TrainOptions): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

export async function saveCheckpoint(
  dir: string,
  model: CnnClassifier,
  provenance: Omit<Provenance, 'arch' | 'libtensorflow' | 'createdAt'>,
  extra?: unknown,
): Promise<void> {
  const arrays = await model.cnn.toArrays();
  const shapes = weightShapes(model.classes.length);
  const json: ModelJson = {
    format: CHECKPOINT_FORMAT,
    arch: CNN_ARCH,
    classes: model.classes,
    provenance: {
      ...provenance,
      arch: CNN_ARCH,
      libtensorflow: backendInfo().libtensorflow,
      createdAt: new Date().toISOString(),
    },
    weights: WEIGHT_NAMES.map((name) => ({ name, shape: shapes[name] })),
    extra,
  };
  await writeWeightsFolder(dir, packWeights(WEIGHT_NAMES, arrays), json);
}

export interface LoadedCheckpoint {
  model: CnnClassifier;
  provenance: Provenance;
  extra?: unknown;
}

export async function isCheckpointDir(dir: string): Promise<boolean> {
  return isModelFolder(dir, CHECKPOINT_FORMAT);
}

export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  // A replace killed half-way leaves the previous model aside: put it back before reading.
  await recoverSiblings(path.resolve(dir), MODEL_MARKER);
  const jsonPath = path.join(dir, 'model.json');
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJson;
  } catch (err) {
    throw new Error(`${jsonPath}: cannot read model description: ${(err as Error).message}`, { cause: err });
  }
  if (json.format !== CHECKPOINT_FORMAT)
    throw new Error(`${jsonPath}: not an Unsure checkpoint (format ${JSON.stringify(json.format)})`);
  if (json.arch !== CNN_ARCH)
    throw new Error(`${jsonPath}: architecture ${json.arch} is not the one this version builds (${CNN_ARCH}); retrain`);
  if (!Array.isArray(json.classes) || json.classes.length < 2)
    throw new Error(`${jsonPath}: needs a class list of at least 2 classes`);
  const binPath = path.join(dir, 'weights.bin');
  const buf = await readFile(binPath);
  const floats = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const shapes = weightShapes(json.classes.length);
  const arrays = {} as Record<WeightName, Float32Array>;
  let off = 0;
  for (const name of WEIGHT_NAMES) {
    const size = shapes[name].reduce((a, b) => a * b, 1);
    if (off + size > floats.length)
      throw new Error(`${binPath}: too short (${floats.length} floats) for the model's weights`);
    arrays[name] = floats.subarray(off, off + size);
    off += size;
  }
  if (off !== floats.length) throw new Error(`${binPath}: ${floats.length} floats where the model has ${off}`);
  const cnn = Cnn.fromArrays(json.classes.length, arrays);
  return { model: new CnnClassifier(cnn, json.classes), provenance: json.provenance, extra: json.extra };
}
