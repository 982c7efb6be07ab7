// Every score column of the ScoreTable from the model's raw outputs, in one call.
// Pure function over typed arrays: no tfjs, no I/O, so it is tested on hand-built data.
import { OTHER_BY_DISTANCE, type Thresholds } from '../../../shared/api.js';
import type { ScoreTable } from '../engine-types.js';
import { fitTemperature } from './calibration.js';
import { confidenceScores } from './confidence.js';
import { energyScore } from './energy.js';
import { knnDistance as knnDistanceOf } from './knn-distance.js';
import { findLabelIssues, LABEL_ISSUE_FLOOR, type LabelIssues } from './label-issue.js';
import { fitOodScorer, type OodScorer, type OodWeights } from './ood-score.js';
import { doubtFlags, lowConfidenceThreshold, oodTailScale, reviewPriority } from './review-priority.js';
import { softmax } from './softmax.js';
import { sortedReference } from './thresholds.js';
import { expectLength, expectPositive, rowCount } from './validate.js';

/**
 * Fewer labelled held-out rows than this, or a fit that ran to the edge of the range (no
 * held-out mistakes to learn from), leave the probabilities uncalibrated (T = 1): a
 * temperature fitted on a handful of correct answers would only make the model more sure.
 */
export const MIN_CALIBRATION_ROWS = 20;

export interface ScoreInputs {
  /** The OOD weighting (default DEFAULT_OOD_WEIGHTS). */
  oodWeights?: Readonly<Partial<OodWeights>>;
  /** N x C raw logits (row-major), C = model output classes including 'other' if present. */
  logits: Float32Array;
  numClasses: number;
  /** Column of the 'other' class in the logits, or -1 when the model has none. */
  otherClass: number;
  /**
   * N x k cosine similarities of every sample to its k nearest training embeddings (known
   * classes only), most similar first; for training samples their own row excluded.
   */
  knnSims: Float32Array;
  k: number;
  /**
   * Per row: knnExcess (knn-distance.ts), the kNN term of oodScore. Absent: the plain
   * knnDistance stands in for it.
   */
  knnExcess?: Float32Array | null;
  /**
   * Per row: smallest squared Mahalanobis distance to a known class's mean in feature space
   * (mahalanobis.ts), a component of oodScore. Absent: oodScore goes without it.
   */
  mahalanobis?: Float32Array | null;
  /** Rows held out from training. Those labelled with a known class are the in-distribution reference. */
  heldOutIndices: Int32Array;
  /** Given (final) label of every row: class index into the logits' columns, or -1 when unlabeled. */
  labels: Int32Array;
  /**
   * N x C out-of-fold probabilities (NaN rows where not available), same columns as the
   * logits, for the label-issue column and its threshold.
   */
  oofProbs?: Float32Array | null;
  /**
   * Alternatively, the result of findLabelIssues computed earlier (e.g. kept from the label
   * check). Without either, labelIssue is all NaN and its threshold LABEL_ISSUE_FLOOR.
   */
  labelIssues?: LabelIssues | null;
  /**
   * A bare label-issue column (labelIssueScores) without its probabilities: flagged above
   * LABEL_ISSUE_FLOOR, since the confident-learning count needs the probabilities of every
   * class. Prefer oofProbs or labelIssues.
   */
  labelIssue?: Float32Array | null;
  /** Skip the fit and use this temperature (e.g. one fitted with the previous scoring). */
  temperature?: number;
  /**
   * Given labels of rows the model never trained on (a labelled review pool): class index, -1
   * where none. A row the label check left unjudged gets 1 - p(given) from this model's own
   * calibrated probabilities, which are out-of-sample for it already.
   */
  reviewLabels?: Int32Array | null;
}

export type ScoreColumns = Pick<
  ScoreTable,
  | 'probs'
  | 'predicted'
  | 'confidence'
  | 'msp'
  | 'margin'
  | 'entropy'
  | 'energy'
  | 'knnDistance'
  | 'oodScore'
  | 'labelIssue'
  | 'reviewPriority'
  | 'flags'
  | 'thresholds'
  | 'heldOut'
>;

export interface ComputedScores extends ScoreColumns {
  /** Temperature the probabilities were calibrated with. */
  temperature: number;
  /** The fitted OOD scorer, to score new inputs (e.g. a dropped-in image) on the same scale. */
  oodScorer: OodScorer;
  /** Scale of the OOD exceedance used by reviewPriority (review-priority.ts). */
  oodTail: number;
  /** Number of held-out rows used as the in-distribution reference. */
  heldOutReference: number;
}

/** label_issue with each unjudged row that has a review label filled in from `probs` (ScoreInputs.reviewLabels). */
function withReviewLabels(
  scores: Float32Array,
  reviewLabels: Int32Array,
  probs: Float32Array,
  C: number,
): Float32Array {
  expectLength(reviewLabels, scores.length, 'reviewLabels');
  const out = Float32Array.from(scores);
  // i < n = scores.length = reviewLabels.length; probs has n * C entries; 0 <= y < C.
  reviewLabels.forEach((y, i) => {
    if (y >= 0 && y < C && Number.isNaN(out[i]!)) out[i] = Math.max(0, 1 - probs[i * C + y]!);
  });
  return out;
}

/**
 * Computes every score column. Orientation: every doubt column is higher = more doubtful;
 * `confidence` and `probs` are calibrated probabilities.
 *
 * - probs = softmax(logits / T), T fitted on the held-out labelled rows (calibration.ts;
 *   T = 1 when there are too few of them, see MIN_CALIBRATION_ROWS);
 *   predicted = argmax of probs, except that once the model has an 'other' class a row
 *   past the OOD scorer's farThreshold is predicted 'other' (flag OTHER_BY_DISTANCE);
 *   confidence = probs of the predicted class; msp, margin, entropy from probs.
 * - energy = -logsumexp over the KNOWN classes' logits (T = 1, energy.ts).
 * - knnDistance = 1 - mean similarity of the k neighbours (knn-distance.ts).
 *   oodScore's kNN term is knnExcess when given (the same distance, less its neighbours').
 * - oodScore = the OOD scorer fitted on held-out known-class rows, rising with p(other).
 * - labelIssue = 1 - p_oof(given label) (label-issue.ts), NaN where not available.
 * - reviewPriority and flags (review-priority.ts); thresholds: ood at 95% of held-out
 *   in-distribution, lowConfidence = max(held-out msp at 95%, 0.5), labelIssue from
 *   confident learning's count of label errors, at least 0.5 (findLabelIssues).
 * - heldOut = sorted held-out in-distribution oodScore, knnDistance, msp.
 *
 * Throws (naming the argument) on inconsistent shapes and when no held-out row has a known
 * class label: the OOD threshold cannot be fitted without in-distribution reference data.
 */
export function computeScores(inp: ScoreInputs): ComputedScores {
  const C = inp.numClasses;
  const n = rowCount(inp.logits, C, 'logits');
  const k = inp.k;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  expectLength(inp.knnSims, n * k, 'knnSims (N x k)');
  expectLength(inp.labels, n, 'labels');
  const other = inp.otherClass;
  if (!Number.isInteger(other) || other < -1 || other >= C)
    throw new Error(`otherClass ${other} is not -1 or a class index below ${C}`);
  if (other >= 0 && C < 2) throw new Error('otherClass: a model with only the other class has no known classes');
  if ([inp.oofProbs, inp.labelIssues, inp.labelIssue].filter((x) => x).length > 1) {
    throw new Error('give at most one of oofProbs, labelIssues and labelIssue');
  }
  for (let j = 0; j < inp.heldOutIndices.length; j++) {
    const r = inp.heldOutIndices[j]!;
    if (!Number.isInteger(r) || r < 0 || r >= n)
      throw new Error(`heldOutIndices[${j}] = ${r} is not a row index below ${n}`);
  }
  // From here on the held-out rows index the n-row columns, labels has n values, and probs
  // (softmax of the logits) n x C: the lookups below are in range.

  // Calibration: every labelled held-out row (an 'other' label is a real class to the model).
  let temperature: number;
  if (inp.temperature !== undefined) {
    expectPositive(inp.temperature, 'temperature');
    temperature = inp.temperature;
  } else {
    const heldLogits = new Float32Array(inp.heldOutIndices.length * C);
    const heldLabels = new Int32Array(inp.heldOutIndices.length);
    inp.heldOutIndices.forEach((r, j) => {
      heldLogits.set(inp.logits.subarray(r * C, (r + 1) * C), j * C);
      heldLabels[j] = inp.labels[r]!;
    });
    const fit = fitTemperature(heldLogits, C, heldLabels);
    temperature = fit.used >= MIN_CALIBRATION_ROWS && !fit.atBoundary ? fit.temperature : 1;
  }

  const probs = softmax(inp.logits, C, temperature);
  const conf = confidenceScores(probs, C);
  const known: number[] = [];
  for (let c = 0; c < C; c++) if (c !== other) known.push(c);
  const energy = energyScore(inp.logits, C, 1, known);
  const knnDistance = knnDistanceOf(inp.knnSims, k);

  // The OOD scorer looks at known classes only: a confident 'other' must read as doubt.
  let mspKnown = conf.msp;
  let pOther: Float32Array | null = null;
  if (other >= 0) {
    mspKnown = new Float32Array(n);
    pOther = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (const c of known) best = Math.max(best, probs[i * C + c]!);
      mspKnown[i] = 1 - best;
      pOther[i] = probs[i * C + other]!;
    }
  }

  // In-distribution reference: held-out rows labelled with a known class.
  const ref = Array.from(inp.heldOutIndices).filter((r) => inp.labels[r]! >= 0 && inp.labels[r] !== other);
  if (ref.length === 0)
    throw new Error('heldOutIndices: no held-out row has a known-class label to fit the OOD threshold on');
  const pick = (col: Float32Array): Float32Array => Float32Array.from(ref, (r) => col[r]!);
  const mahalanobis = inp.mahalanobis ?? null;
  if (mahalanobis) expectLength(mahalanobis, n, 'mahalanobis');
  const knnExcess = inp.knnExcess ?? null;
  if (knnExcess) expectLength(knnExcess, n, 'knnExcess');
  const oodScorer = fitOodScorer(
    {
      knnDistance: pick(knnDistance),
      knnExcess: knnExcess ? pick(knnExcess) : null,
      energy: pick(energy),
      msp: pick(mspKnown),
      mahalanobis: mahalanobis ? pick(mahalanobis) : null,
    },
    inp.oodWeights ? { weights: inp.oodWeights } : {},
  );
  const oodScore = oodScorer.score({ knnDistance, knnExcess, energy, msp: mspKnown, mahalanobis, pOther });

  let issues: LabelIssues;
  if (inp.oofProbs) {
    expectLength(inp.oofProbs, n * C, 'oofProbs (N x C)');
    issues = findLabelIssues(inp.oofProbs, C, inp.labels);
  } else if (inp.labelIssues) {
    expectLength(inp.labelIssues.scores, n, 'labelIssues.scores');
    if (!(inp.labelIssues.threshold >= 0 && inp.labelIssues.threshold <= 1)) {
      throw new Error(`labelIssues.threshold must be in [0, 1], got ${inp.labelIssues.threshold}`);
    }
    issues = inp.labelIssues;
  } else if (inp.labelIssue) {
    expectLength(inp.labelIssue, n, 'labelIssue');
    issues = { scores: inp.labelIssue, threshold: LABEL_ISSUE_FLOOR, estimatedIssues: Number.NaN };
  } else {
    issues = { scores: new Float32Array(n).fill(Number.NaN), threshold: LABEL_ISSUE_FLOOR, estimatedIssues: 0 };
  }
  const labelIssue = inp.reviewLabels ? withReviewLabels(issues.scores, inp.reviewLabels, probs, C) : issues.scores;

  const heldOut = {
    oodScore: sortedReference(pick(oodScore)),
    knnDistance: sortedReference(pick(knnDistance)),
    msp: sortedReference(pick(conf.msp)),
  };
  const thresholds: Thresholds = {
    ood: oodScorer.threshold,
    lowConfidence: lowConfidenceThreshold(heldOut.msp),
    labelIssue: issues.threshold,
  };
  const oodTail = oodTailScale(heldOut.oodScore, thresholds.ood);
  const cols = { msp: conf.msp, oodScore, labelIssue };
  const flags = doubtFlags(cols, thresholds);
  if (other >= 0) {
    for (let i = 0; i < n; i++) {
      if (oodScore[i]! > oodScorer.farThreshold && conf.predicted[i] !== other) {
        conf.predicted[i] = other;
        conf.maxProb[i] = probs[i * C + other]!;
        flags[i]! |= OTHER_BY_DISTANCE;
      }
    }
  }

  return {
    probs,
    predicted: conf.predicted,
    confidence: conf.maxProb,
    msp: conf.msp,
    margin: conf.margin,
    entropy: conf.entropy,
    energy,
    knnDistance,
    oodScore,
    labelIssue,
    reviewPriority: reviewPriority(cols, { thresholds, oodTail }),
    flags,
    thresholds,
    heldOut,
    temperature,
    oodScorer,
    oodTail,
    heldOutReference: ref.length,
  };
}

export { softmax, rowLogSumExp } from './softmax.js';
export { confidenceScores, type ConfidenceScores } from './confidence.js';
export { energyScore } from './energy.js';
export { fitTemperature, meanNll, calibratedConfidence, type TemperatureFit } from './calibration.js';
export { knnDistance } from './knn-distance.js';
export {
  fitOodScorer,
  DEFAULT_OOD_WEIGHTS,
  type OodScorer,
  type OodComponents,
  type OodInputs,
  type OodWeights,
} from './ood-score.js';
export {
  labelIssueScores,
  findLabelIssues,
  estimateLabelIssueCount,
  LABEL_ISSUE_FLOOR,
  type LabelIssues,
} from './label-issue.js';
export { thresholdAtTpr, percentileOf, sortedReference, quantile } from './thresholds.js';
export {
  reviewPriority,
  doubtFlags,
  lowConfidenceThreshold,
  oodTailScale,
  LOW_CONFIDENCE_FLOOR,
} from './review-priority.js';
export { auroc, fprAtTpr, precisionAtK } from './metrics.js';
