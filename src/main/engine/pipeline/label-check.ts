// Out-of-fold label check (confident learning's cross-fitting): the labeled samples are cut
// into K stratified folds; each fold is predicted by a model trained on the other folds, so
// no sample's label judges itself. A model that memorised a wrong label would vouch for it.
import { DEFAULT_TRAIN_OPTIONS, type TrainProgress } from '../model/train.js';
import { trainClassifier } from '../model/train-classifier.js';
import type { HeadOptions } from '../model/head.js';
import { embedImages } from '../embeddings/embed.js';
import { makeRng, shuffleInPlace } from '../model/rng.js';
import { classIndicesOf, modelClasses } from './holdout.js';
import { resolveTrainOptions } from './train-model.js';
import { findLabelIssues, softmax, type LabelIssues } from '../scores/index.js';
import type { Classifier } from '../model/classifier.js';
import { expectLength } from '../scores/validate.js';
import { temperatureScaledProbs } from '../scores/calibration.js';
import { asInputs, type ModelInputs } from '../model/inputs.js';

export const DEFAULT_FOLDS = 2;
/** Heads train in seconds: five folds, each trained on 80% (docs/colour-model.md: 0.954 / 0.683 at 8% flipped). */
export const HEAD_FOLDS = 5;
/**
 * A fold's head learns at 1.5e-3, not the main head's 2e-3: faster, it fits the flipped labels
 * of its training folds harder and ranks the held-out fold's worse (colour bench, 4,800 photos,
 * 8% flipped: precision@k 0.695 at 1.5e-3, 0.693 at 1e-3, 0.669 at 2e-3; docs/colour-model.md).
 * One member, as those figures were measured with (the main head has three).
 */
export const FOLD_HEAD: Partial<HeadOptions> = { lr: 0.0015, members: 1 };
/**
 * A fold model trains for at least about this many optimiser steps (at most twice the
 * main model's epochs): a fold of a small dataset is smaller still, and 3 epochs over 5,000
 * images (117 steps) left its models too weak to judge labels (10k images, 5% flipped:
 * AUROC 0.9984 at 3 epochs, 0.9994 at 6). From 20,000 images on, 3 epochs are that many.
 */
export const FOLD_MIN_STEPS = 240;

export function foldEpochs(epochs: number, foldTrainSize: number, batchSize: number): number {
  const wanted = Math.round((FOLD_MIN_STEPS * batchSize) / Math.max(1, foldTrainSize));
  return Math.min(2 * epochs, Math.max(epochs, wanted));
}

export interface LabelCheckInput {
  ids: readonly string[];
  /** As TrainModelInput.inputs. */
  inputs: Uint8Array | ModelInputs;
  labels: readonly (string | null)[];
  knownClasses: readonly string[];
  epochs?: number;
  seed?: number;
  folds?: number;
  /**
   * The main model, trained on these same labels (it held out ~10% and trained on the rest).
   * Its view of each label is averaged with the fold models' (withModelView).
   */
  model?: Classifier | null;
}

type Report = (phase: string, fraction: number, message: string, extra?: Partial<TrainProgress>) => void;

/** Stratified fold number of every labeled sample (-1 for unlabeled). */
export function assignFolds(labels: readonly (string | null)[], folds: number, seed: number): Int32Array {
  const fold = new Int32Array(labels.length).fill(-1);
  const byClass = new Map<string, number[]>();
  labels.forEach((l, i) => {
    if (l === null) return;
    let list = byClass.get(l);
    if (!list) byClass.set(l, (list = []));
    list.push(i);
  });
  const rng = makeRng(seed ^ 0x27d4eb2f);
  let offset = 0;
  for (const [, members] of [...byClass.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const list = shuffleInPlace(members, rng);
    // Continue the round-robin across classes so small classes do not all land in fold 0.
    list.forEach((i, j) => (fold[i] = (j + offset) % folds));
    offset += list.length;
  }
  return fold;
}

/** Out-of-fold probabilities (n x C; NaN rows for unlabeled) and the classes they refer to. */
export async function outOfFoldProbs(
  input: LabelCheckInput,
  report: Report,
  signal?: AbortSignal,
): Promise<{ probs: Float32Array; classes: string[] }> {
  const n = input.labels.length;
  const folds = Math.max(2, input.folds ?? (asInputs(input.inputs).kind === 'features' ? HEAD_FOLDS : DEFAULT_FOLDS));
  const classes = modelClasses(input.knownClasses, input.labels);
  const opts = resolveTrainOptions(input.epochs, input.seed, classes);
  const inputs = asInputs(input.inputs);
  const C = classes.length;
  const fold = assignFolds(input.labels, folds, opts.seed);
  const probs = new Float32Array(n * C).fill(Number.NaN);
  for (let f = 0; f < folds; f++) {
    const trainIdx: number[] = [];
    const inFold: number[] = [];
    fold.forEach((g, i) => {
      if (g >= 0) (g === f ? inFold : trainIdx).push(i);
    });
    const y = classIndicesOf(trainIdx, input.labels, classes);
    // A class no other fold has (a class of one sample) is one this fold's model cannot
    // predict: its rows stay unjudged (NaN) rather than flagged for the model's ignorance.
    const learned = new Set(y);
    const yFold = classIndicesOf(inFold, input.labels, classes);
    const predIdx = inFold.filter((_, r) => learned.has(yFold[r]!));
    if (predIdx.length === 0) continue;
    const epochs = foldEpochs(opts.epochs, trainIdx.length, opts.batchSize ?? DEFAULT_TRAIN_OPTIONS.batchSize);
    const model = await trainClassifier(
      inputs,
      { indices: trainIdx, labels: y, classes },
      { ...opts, epochs, seed: opts.seed + 1000 * (f + 1) },
      (p) =>
        report(
          'training',
          (f + p.fraction * 0.95) / folds,
          `Label check: fold ${f + 1}/${folds}, epoch ${p.epoch}/${p.epochs}`,
          p,
        ),
      signal,
      FOLD_HEAD,
    );
    try {
      const p = await predictRows(model, input.inputs, Int32Array.from(predIdx), signal);
      predIdx.forEach((row, r) => probs.set(p.subarray(r * C, (r + 1) * C), row * C));
    } finally {
      model.dispose();
    }
    report('predicting', (f + 1) / folds, `Label check: fold ${f + 1}/${folds} done`);
  }
  return { probs, classes };
}

/**
 * label_issue of every sample (NaN where unlabeled), from out-of-fold probabilities, with
 * confident learning's threshold: it flags about as many rows as the data's estimated
 * number of label errors, where a fixed 0.5 flags many clean but hard samples.
 */
export async function outOfFoldLabelIssues(
  input: LabelCheckInput,
  report: Report,
  signal?: AbortSignal,
): Promise<LabelIssues> {
  const oof = await outOfFoldProbs(input, report, signal);
  const classes = oof.classes;
  const probs = input.model ? await withModelView(oof.probs, classes, input.model, input.inputs, signal) : oof.probs;
  const given = Int32Array.from(input.labels, (l) => (l === null ? -1 : classes.indexOf(l)));
  // Fold models of a small set overfit their few rows and answer near 0 or 1 (320 photos: median
  // top probability 0.997 at 76% accuracy), so 1 - p(given) read "100%" for a label the main
  // model gives 81%. Calibrated on the labels themselves, the doubts mean what they say.
  return findLabelIssues(temperatureScaledProbs(probs, classes.length, given).probs, classes.length, given);
}

/** Softmax probabilities of `rows` by `model`: rows.length x C, in the order of `rows`. */
async function predictRows(
  model: Classifier,
  inputs: Uint8Array | ModelInputs,
  rows: Int32Array,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const C = model.classes.length;
  const e = await embedImages(model, inputs, { indices: rows, signal });
  expectLength(e.logits, rows.length * C, 'label check logits');
  return softmax(e.logits, C, 1);
}

/**
 * The fold models' probabilities averaged with the main model's. The main model trained on
 * most of these labels, so alone it would vouch for a label it memorised; but it trained on
 * all the data, where each fold model saw half, and the two views err on different samples:
 * averaged, they beat either (20k images, 5% flipped: precision@k 0.962 out-of-fold, 0.974
 * in-sample, 0.977 averaged). A model of other classes is not averaged in.
 */
export async function withModelView(
  oofProbs: Float32Array,
  classes: readonly string[],
  model: Classifier,
  inputs: Uint8Array | ModelInputs,
  signal?: AbortSignal,
): Promise<Float32Array> {
  if (model.classes.join('\n') !== classes.join('\n')) return oofProbs;
  const C = classes.length;
  const n = oofProbs.length / C;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(oofProbs[i * C]!)) rows.push(i);
  const view = await predictRows(model, inputs, Int32Array.from(rows), signal);
  const out = Float32Array.from(oofProbs);
  // view has rows.length x C entries (predictRows checks), so r * C + c is in range.
  rows.forEach((i, r) => {
    for (let c = 0; c < C; c++) out[i * C + c] = (out[i * C + c]! + view[r * C + c]!) / 2;
  });
  return out;
}

export function sameLabels(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

/**
 * The check's verdicts for the labels as they are now. A reviewer keeps deciding while a
 * check runs (it takes as long as a training), so the labels it judged and the current
 * model's may differ in a few rows: those rows get NaN (not judged: their label is new),
 * every other row keeps its verdict. Dropping the whole check for one new decision would
 * leave the queue without label issues until the next retrain.
 */
export function labelIssuesFor(
  judged: readonly (string | null)[],
  issues: LabelIssues,
  current: readonly (string | null)[],
): LabelIssues | null {
  if (judged.length !== current.length || issues.scores.length !== current.length) return null;
  let scores = issues.scores;
  for (let i = 0; i < current.length; i++) {
    if (judged[i] === current[i]) continue;
    if (scores === issues.scores) scores = Float32Array.from(issues.scores);
    scores[i] = NaN;
  }
  return scores === issues.scores ? issues : { ...issues, scores };
}
