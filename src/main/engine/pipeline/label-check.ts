// Out-of-fold label check (confident learning's cross-fitting): the labeled samples are cut
// into K stratified folds; each fold is predicted by a model trained on the other folds, so
// no sample's label judges itself. A model that memorised a wrong label would vouch for it.
import { trainCnn, type TrainProgress } from '../model/train.js';
import { CnnClassifier } from '../model/cnn.js';
import { embedImages } from '../embeddings/embed.js';
import { makeRng, shuffleInPlace } from '../model/rng.js';
import { classIndicesOf, modelClasses } from './holdout.js';
import { resolveTrainOptions } from './train-model.js';
import { findLabelIssues, type LabelIssues } from '../scores/index.js';
import { expectLength } from '../scores/validate.js';

export const DEFAULT_FOLDS = 2;

export interface LabelCheckInput {
  ids: readonly string[];
  pixels: Uint8Array;
  labels: readonly (string | null)[];
  knownClasses: readonly string[];
  epochs?: number;
  seed?: number;
  folds?: number;
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
  const folds = Math.max(2, input.folds ?? DEFAULT_FOLDS);
  const opts = resolveTrainOptions(input.epochs, input.seed);
  const classes = modelClasses(input.knownClasses, input.labels);
  const C = classes.length;
  const fold = assignFolds(input.labels, folds, opts.seed);
  const probs = new Float32Array(n * C).fill(Number.NaN);
  for (let f = 0; f < folds; f++) {
    const trainIdx: number[] = [];
    const predIdx: number[] = [];
    fold.forEach((g, i) => {
      if (g >= 0) (g === f ? predIdx : trainIdx).push(i);
    });
    if (predIdx.length === 0) continue;
    const y = classIndicesOf(trainIdx, input.labels, classes);
    const cnn = await trainCnn(
      { pixels: input.pixels, indices: trainIdx, labels: y, numClasses: C },
      { ...opts, seed: opts.seed + 1000 * (f + 1) },
      (p) =>
        report(
          'training',
          (f + p.fraction * 0.95) / folds,
          `Label check: fold ${f + 1}/${folds}, epoch ${p.epoch}/${p.epochs}`,
          p,
        ),
      signal,
    );
    const model = new CnnClassifier(cnn, classes);
    try {
      const e = await embedImages(model, input.pixels, { indices: predIdx, signal });
      // predIdx.length rows of C logits, so row[c] and predIdx[r] below are in range.
      expectLength(e.logits, predIdx.length * C, 'label check logits');
      for (let r = 0; r < predIdx.length; r++) {
        const row = e.logits.subarray(r * C, (r + 1) * C);
        let max = -Infinity;
        for (const v of row) max = Math.max(max, v);
        let sum = 0;
        for (let c = 0; c < C; c++) sum += Math.exp(row[c]! - max);
        for (let c = 0; c < C; c++) probs[predIdx[r]! * C + c] = Math.exp(row[c]! - max) / sum;
      }
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
  const { probs, classes } = await outOfFoldProbs(input, report, signal);
  const given = Int32Array.from(input.labels, (l) => (l === null ? -1 : classes.indexOf(l)));
  return findLabelIssues(probs, classes.length, given);
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
