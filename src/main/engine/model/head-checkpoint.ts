// Saving and loading a head: one folder with model.json (classes, options, the recipe and the
// backbone id it was trained on, weight manifest) and weights.bin (float32 little-endian, in
// HEAD_WEIGHT_NAMES order), plus the MODEL_MARKER file. Replaced atomically through
// atomic-dir.ts, as the CNN's checkpoint is. A head is only meaningful on the features of the
// backbone it was trained on, so loading names the backbone expected and refuses another.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HeadClassifier, HeadModel, HEAD_WEIGHT_NAMES, headWeightShapes, type HeadEmbedding } from './head-model.js';
import type { HeadOptions } from './head.js';
import type { Recipe } from '../../../shared/recipe.js';
import { recoverSiblings } from '../project/atomic-dir.js';
import { isModelFolder, packWeights, writeWeightsFolder } from './weights-folder.js';
import { MODEL_MARKER } from '../project/output-guard.js';

export const HEAD_CHECKPOINT_FORMAT = 'unsure-head-checkpoint';

export interface HeadProvenance {
  /** Extractor.id of the backbone whose rows the head was trained on. */
  backboneId: string;
  recipe: Recipe;
  options: HeadOptions;
  embedding: HeadEmbedding;
  /** With embedding 'input': the leading columns kNN compares. */
  inputCols?: number;
  /** Hash of the training rows and labels, when the caller has one. */
  dataHash?: string;
  createdAt?: string;
}

interface HeadJson {
  format: typeof HEAD_CHECKPOINT_FORMAT;
  classes: string[];
  dim: number;
  hidden: number;
  /** Heads side by side (head-model.ts); absent in checkpoints from before ensembles: 1. */
  members?: number;
  provenance: HeadProvenance;
  weights: { name: string; shape: number[] }[];
  extra?: unknown;
}

export async function saveHeadCheckpoint(
  dir: string,
  model: HeadClassifier,
  provenance: Omit<HeadProvenance, 'embedding' | 'inputCols' | 'createdAt'>,
  extra?: unknown,
): Promise<void> {
  const { head } = model;
  const arrays = await head.toArrays();
  const shapes = headWeightShapes(head.dim, head.hidden, head.numClasses, head.members);
  const json: HeadJson = {
    format: HEAD_CHECKPOINT_FORMAT,
    classes: model.classes,
    dim: head.dim,
    hidden: head.hidden,
    members: head.members,
    provenance: {
      ...provenance,
      embedding: model.embedding,
      inputCols: model.inputCols,
      createdAt: new Date().toISOString(),
    },
    weights: HEAD_WEIGHT_NAMES.map((name) => ({ name, shape: shapes[name] })),
    extra,
  };
  await writeWeightsFolder(dir, packWeights(HEAD_WEIGHT_NAMES, arrays), json);
}

export interface LoadedHead {
  model: HeadClassifier;
  provenance: HeadProvenance;
  extra?: unknown;
}

export async function isHeadCheckpointDir(dir: string): Promise<boolean> {
  return isModelFolder(dir, HEAD_CHECKPOINT_FORMAT);
}

/** The head in `dir`; refused unless it was trained on the backbone `backboneId` names. */
export async function loadHeadCheckpoint(dir: string, backboneId: string): Promise<LoadedHead> {
  await recoverSiblings(path.resolve(dir), MODEL_MARKER);
  const jsonPath = path.join(dir, 'model.json');
  let json: HeadJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as HeadJson;
  } catch (err) {
    throw new Error(`${jsonPath}: cannot read head description: ${(err as Error).message}`, { cause: err });
  }
  if (json.format !== HEAD_CHECKPOINT_FORMAT)
    throw new Error(`${jsonPath}: not an Unsure head checkpoint (format ${JSON.stringify(json.format)})`);
  const p = json.provenance;
  if (p?.backboneId !== backboneId)
    throw new Error(
      `${jsonPath}: this head was trained on backbone ${JSON.stringify(p?.backboneId)}, not ${JSON.stringify(backboneId)}; retrain`,
    );
  if (!Array.isArray(json.classes) || json.classes.length < 2)
    throw new Error(`${jsonPath}: needs a class list of at least 2 classes`);
  const { dim, hidden } = json;
  const members = json.members ?? 1;
  if (![dim, hidden, members].every((v) => Number.isInteger(v) && v >= 1))
    throw new Error(`${jsonPath}: dim, hidden and members must be positive integers`);
  if (p.embedding !== 'hidden' && p.embedding !== 'input')
    throw new Error(`${jsonPath}: embedding must be 'hidden' or 'input', got ${JSON.stringify(p.embedding)}`);
  const binPath = path.join(dir, 'weights.bin');
  const buf = await readFile(binPath);
  const floats = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const shapes = headWeightShapes(dim, hidden, json.classes.length, members);
  const arrays = {} as Record<(typeof HEAD_WEIGHT_NAMES)[number], Float32Array>;
  let off = 0;
  for (const k of HEAD_WEIGHT_NAMES) {
    const size = shapes[k].reduce((a, b) => a * b, 1);
    if (off + size > floats.length) throw new Error(`${binPath}: too short (${floats.length} floats) for the head`);
    arrays[k] = floats.subarray(off, off + size);
    off += size;
  }
  if (off !== floats.length) throw new Error(`${binPath}: ${floats.length} floats where the head has ${off}`);
  const head = new HeadModel(dim, hidden, json.classes.length, p.options?.dropout ?? 0, arrays, members);
  let model: HeadClassifier;
  try {
    model = new HeadClassifier(head, json.classes, p.embedding, p.inputCols);
  } catch (err) {
    head.dispose();
    throw new Error(`${jsonPath}: ${(err as Error).message}`, { cause: err });
  }
  return { model, provenance: p, extra: json.extra };
}
