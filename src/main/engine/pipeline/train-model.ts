// Train (or reuse) the model for a set of final labels: hold out ~10% of each known class,
// train on the rest, measure held-out accuracy. An identical request (same images, labels,
// seed and options) finds its checkpoint in the project folder and costs nothing.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { CnnClassifier } from '../model/cnn.js';
import { computeModelVersion, isCheckpointDir, loadCheckpoint, saveCheckpoint } from '../model/checkpoint.js';
import { recoverAllSiblings } from '../project/atomic-dir.js';
import { MODEL_MARKER } from '../project/output-guard.js';
import { trainCnn, DEFAULT_TRAIN_OPTIONS, type TrainOptions, type TrainProgress } from '../model/train.js';
import { embedImages } from '../embeddings/embed.js';
import type { Classifier } from '../model/classifier.js';
import { classIndicesOf, modelClasses, stableHoldOut, stratifiedHoldOut } from './holdout.js';
import { baseHashOf, loadShippedModel, shippedRecipeVersion, type ShippedDistances } from './shipped-model.js';
import { type KnownDistances } from './score-table.js';
import { knnBaseRows } from './neighbour-search.js';
import { OTHER_LABEL } from '../../../shared/api.js';
import { expectLength } from '../scores/validate.js';
import { asInputs, cnnPixels, type ModelInputs } from '../model/inputs.js';
import { trainOrLoadHead, type RowSource } from './train-head-model.js';

export const HOLD_OUT_FRACTION = 0.1;
export const DEFAULT_EPOCHS = 3;
export const DEFAULT_SEED = 42;

export interface ModelState {
  classifier: Classifier;
  classes: string[];
  modelVersion: string;
  trainIndices: Int32Array;
  heldOutIndices: Int32Array;
  heldOutAccuracy: number;
  cached: boolean;
  /** Where the weights came from: trained now, the project's checkpoint, or the shipped demo model. */
  source: 'trained' | 'project' | 'shipped';
  /** The kNN base's own distances shipped with the demo model (score-table.ts), if they fit. */
  knownDistances?: KnownDistances | null;
}

export interface TrainModelInput {
  /** Content ids of every sample (their identity for the cache key). */
  ids: readonly string[];
  /** One row per sample: the CNN's stored pixels (a bare buffer: the digits recipe's), or feature rows. */
  inputs: Uint8Array | ModelInputs;
  labels: readonly (string | null)[];
  knownClasses: readonly string[];
  epochs?: number;
  seed?: number;
  /** Folder for checkpoints; null disables the cache (benchmarks run cold). */
  projectDir: string | null;
  /**
   * A shipped pretrained folder (shipped-model.ts) to use instead of training when its
   * recipe version is exactly this request's (same data, labels, seed, options and
   * architecture). Anything else about it (stale, corrupt) means training, with a note.
   */
  shipped?: string | null;
  /** Why a shipped model was not used, for the log. */
  onNote?: (message: string) => void;
  /** With feature rows: the extractor they came from (a head is keyed and saved with it). */
  rowSource?: RowSource;
}

/** The options of a training; with the model's classes, 'other' is balanced (class-balance.ts). */
export function resolveTrainOptions(epochs?: number, seed?: number, classes?: readonly string[]): TrainOptions {
  const other = classes?.indexOf(OTHER_LABEL) ?? -1;
  return {
    epochs: epochs ?? DEFAULT_EPOCHS,
    seed: seed ?? DEFAULT_SEED,
    ...DEFAULT_TRAIN_OPTIONS,
    ...(other >= 0 ? { balanceClass: other } : {}),
  };
}

export function dataHashOf(ids: readonly string[], labels: readonly (string | null)[]): string {
  const h = createHash('sha256');
  for (let i = 0; i < ids.length; i++) if (labels[i] !== null) h.update(`${ids[i]}\t${labels[i]}\n`);
  return h.digest('hex').slice(0, 16);
}

export function checkpointDirFor(projectDir: string, modelVersion: string): string {
  return path.join(projectDir, 'models', modelVersion);
}

export async function trainModel(
  input: TrainModelInput,
  onProgress: (p: TrainProgress) => void,
  signal?: AbortSignal,
): Promise<ModelState> {
  if (input.labels.length !== input.ids.length) {
    throw new Error(`labels has ${input.labels.length} entries for ${input.ids.length} samples`);
  }
  const classes = modelClasses(input.knownClasses, input.labels);
  const options = resolveTrainOptions(input.epochs, input.seed, classes);
  if (classes.length < 2) throw new Error(`training needs at least two classes; the labels give ${classes.length}`);
  const inputs = asInputs(input.inputs);
  // A head's split stays put across decisions (its retrain carries neighbours over); the CNN
  // keeps the shuffled draw its shipped demo model was trained with.
  const split =
    inputs.kind === 'features'
      ? stableHoldOut(input.labels, input.ids, HOLD_OUT_FRACTION, options.seed)
      : stratifiedHoldOut(input.labels, HOLD_OUT_FRACTION, options.seed);
  const dataHash = dataHashOf(input.ids, input.labels);
  const modelVersion = computeModelVersion(dataHash, classes, options.seed, options);
  // Cached, shipped or trained: the same split, only the model and its origin differ.
  const state = (
    classifier: Classifier,
    version: string,
    heldOutAccuracy: number,
    source: ModelState['source'],
  ): ModelState => ({
    classifier,
    classes,
    modelVersion: version,
    trainIndices: split.train,
    heldOutIndices: split.heldOut,
    heldOutAccuracy,
    cached: source !== 'trained',
    source,
  });

  if (inputs.kind === 'features') {
    if (!input.rowSource) throw new Error('feature rows need the extractor they came from (rowSource)');
    const head = await trainOrLoadHead(
      {
        inputs,
        source: input.rowSource,
        labels: input.labels,
        classes,
        train: split.train,
        dataHash,
        options,
        modelsDir: input.projectDir ? path.join(input.projectDir, 'models') : null,
      },
      onProgress,
      signal,
    );
    const acc = await evaluateAccuracy(head.classifier, inputs, input.labels, split.heldOut);
    return state(head.classifier, head.modelVersion, acc, head.cached ? 'project' : 'trained');
  }

  if (input.projectDir) {
    // What a killed run left in models/ (of any model version) is put back or removed first.
    await recoverAllSiblings(path.dirname(checkpointDirFor(input.projectDir, modelVersion)), MODEL_MARKER);
    const dir = checkpointDirFor(input.projectDir, modelVersion);
    if (await isCheckpointDir(dir)) {
      try {
        const ck = await loadCheckpoint(dir);
        const acc =
          ck.provenance.heldOutAccuracy ??
          (await evaluateAccuracy(ck.model, input.inputs, input.labels, split.heldOut));
        return state(ck.model, modelVersion, acc, 'project');
      } catch {
        // An unreadable checkpoint is retrained over rather than failing the request.
      }
    }
  }

  if (input.shipped) {
    const recipe = await shippedRecipeVersion(input.shipped);
    if (recipe === modelVersion) {
      try {
        const loaded = await loadShippedModel(input.shipped);
        if (loaded.model.classes.join('\n') !== classes.join('\n')) {
          loaded.model.dispose();
          throw new Error(`classes [${loaded.model.classes}] differ from [${classes}]`);
        }
        // The script that made the folder measured this with the same dequantized weights on
        // these same held-out samples (test/unit/demo-model-shipped.test.ts checks it
        // reproduces); measuring again would cost a first launch ~10% of its embedding time.
        const acc =
          loaded.provenance.heldOutAccuracy ??
          (await evaluateAccuracy(loaded.model, input.inputs, input.labels, split.heldOut));
        return {
          ...state(loaded.model, `${modelVersion}-${loaded.provenance.encoding}`, acc, 'shipped'),
          knownDistances: shippedDistancesFor(loaded.neighbourDistances, input, split.train),
        };
      } catch (err) {
        input.onNote?.(`The shipped demo model cannot be used (${(err as Error).message}); training instead`);
      }
    } else {
      input.onNote?.(
        recipe === null
          ? `No usable shipped demo model in ${input.shipped}; training instead`
          : `The shipped demo model was made for another recipe (${recipe}, this one is ${modelVersion}: ` +
              'different labels, options or architecture); training instead',
      );
    }
  }

  const y = classIndicesOf(split.train, input.labels, classes);
  const cnn = await trainCnn(
    { pixels: cnnPixels(input.inputs), indices: split.train, labels: y, numClasses: classes.length },
    options,
    onProgress,
    signal,
  );
  const classifier = new CnnClassifier(cnn, classes);
  const acc = await evaluateAccuracy(classifier, input.inputs, input.labels, split.heldOut);
  if (input.projectDir) {
    const dir = checkpointDirFor(input.projectDir, modelVersion);
    try {
      await saveCheckpoint(dir, classifier, {
        modelVersion,
        dataHash,
        seed: options.seed,
        options,
        heldOutAccuracy: acc,
      });
    } catch (err) {
      classifier.dispose();
      throw new Error(`could not save the trained model in ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }
  return state(classifier, modelVersion, acc, 'trained');
}

/**
 * The shipped distances per row, if they are this kNN base's (same rows in the same order);
 * else null with a note, and a first pass searches what it needs instead.
 */
function shippedDistancesFor(
  d: ShippedDistances | null,
  input: TrainModelInput,
  train: Int32Array,
): KnownDistances | null {
  if (!d) return null;
  const base = knnBaseRows(train, input.labels);
  if (d.values.length !== base.length || d.baseHash !== baseHashOf(input.ids, base)) {
    input.onNote?.('The shipped neighbour distances are for another set of training samples; searching instead');
    return null;
  }
  const values = new Float32Array(input.ids.length).fill(Number.NaN);
  base.forEach((r, j) => (values[r] = d.values[j]!)); // one value per base row (checked above)
  return { k: d.k, values };
}

/** Share of `indices` whose argmax class is their label (NaN for no indices). */
export async function evaluateAccuracy(
  model: Classifier,
  inputs: Uint8Array | ModelInputs,
  labels: readonly (string | null)[],
  heldOut: Int32Array,
): Promise<number> {
  if (heldOut.length === 0) return Number.NaN;
  const e = await embedImages(model, inputs, { indices: heldOut });
  const C = e.numClasses;
  // heldOut.length rows of C logits: r < heldOut.length and c < C index inside them.
  expectLength(e.logits, heldOut.length * C, 'held-out logits');
  let correct = 0;
  for (let r = 0; r < heldOut.length; r++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (e.logits[r * C + c]! > e.logits[r * C + best]!) best = c;
    if (model.classes[best] === labels[heldOut[r]!]) correct++;
  }
  return correct / heldOut.length;
}
