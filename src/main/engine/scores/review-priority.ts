// The review queue's order and the per-sample doubt flags. The three kinds of doubt live on
// different scales (a probability, a probability, a fitted OOD score), so each is first
// expressed as how far past its own threshold the sample is, in log-odds-like units where
// 0 = exactly at the threshold; the priority is the largest of them, so the most doubtful
// sample of ANY kind comes first, and every flagged sample ranks above every unflagged one.
import { DoubtFlag, type Thresholds } from '../../../shared/api.js';
import { expectLength } from './validate.js';
import { quantile, thresholdAtTpr } from './thresholds.js';

/**
 * Floor of the low-confidence threshold on msp (= 1 - calibrated max probability). The
 * threshold is the held-out msp at 95% TPR, but never below 0.5: for a strong model (99% on
 * MNIST) the 95th percentile is a sample the calibrated model is ~99.5% sure of, and calling
 * 5% of such samples "low confidence" would drown the real ones. Above 0.5 the model gives
 * its own answer less than even odds (the same line as LABEL_ISSUE_FLOOR); a weak model
 * whose typical samples are that unsure keeps the 95% rule.
 */
export const LOW_CONFIDENCE_FLOOR = 0.5;

export function lowConfidenceThreshold(sortedHeldOutMsp: Float32Array, tpr = 0.95): number {
  return Math.max(LOW_CONFIDENCE_FLOOR, thresholdAtTpr(sortedHeldOutMsp, tpr));
}

/**
 * Scale of the OOD exceedance: the mean excess over the threshold of the held-out
 * in-distribution scores above it. That is the maximum-likelihood scale of an exponential
 * tail, under which (x - threshold) / scale = ln(P_ID(score >= threshold) / P_ID(score >= x)):
 * an exceedance of 2.3 means ten times rarer among in-distribution samples than the threshold.
 */
export function oodTailScale(sortedHeldOutOod: Float32Array, threshold: number): number {
  let sum = 0;
  let n = 0;
  // 0 <= i < length.
  for (let i = sortedHeldOutOod.length - 1; i >= 0 && sortedHeldOutOod[i]! > threshold; i--) {
    sum += sortedHeldOutOod[i]! - threshold;
    n++;
  }
  if (n > 0 && sum / n > 1e-9) return sum / n;
  // Too few held-out samples for a tail: use the distance from the median instead.
  const fallback = sortedHeldOutOod.length ? threshold - quantile(sortedHeldOutOod, 0.5) : 0;
  return fallback > 1e-9 ? fallback : 1;
}

export interface PriorityColumns {
  msp: Float32Array;
  oodScore: Float32Array;
  /** NaN where not available. */
  labelIssue: Float32Array;
}

export interface PriorityReference {
  thresholds: Thresholds;
  /** oodTailScale of the held-out in-distribution ood scores. */
  oodTail: number;
}

const P_MIN = 1e-6;
function logit(p: number): number {
  const q = Math.min(1 - P_MIN, Math.max(P_MIN, p));
  return Math.log(q / (1 - q));
}

/**
 * Exceedance of each kind, 0 at its threshold:
 * - low confidence and label issue are probabilities (msp = calibrated chance the prediction
 *   is wrong, label_issue = out-of-fold chance the label is wrong): logit(x) - logit(threshold);
 * - OOD: (ood - threshold) / oodTail, the log-rarity among in-distribution samples.
 * review_priority = the largest exceedance (label issue ignored where NaN).
 */
export function reviewPriority(cols: PriorityColumns, ref: PriorityReference): Float32Array {
  const n = cols.msp.length;
  expectLength(cols.oodScore, n, 'oodScore');
  expectLength(cols.labelIssue, n, 'labelIssue');
  // The three columns have n values, so cols.*[i] with i < n is in range.
  if (!(ref.oodTail > 0)) throw new Error(`reviewPriority: oodTail must be > 0, got ${ref.oodTail}`);
  const t = ref.thresholds;
  const lcRef = logit(t.lowConfidence);
  const liRef = logit(t.labelIssue);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let p = Math.max(logit(cols.msp[i]!) - lcRef, (cols.oodScore[i]! - t.ood) / ref.oodTail);
    const li = cols.labelIssue[i]!;
    if (!Number.isNaN(li)) p = Math.max(p, logit(li) - liRef);
    if (Number.isNaN(p)) throw new Error(`reviewPriority: row ${i} has a NaN msp or oodScore`);
    out[i] = p;
  }
  return out;
}

/** DoubtFlag bits: each kind set when its score is strictly above its threshold. */
export function doubtFlags(cols: PriorityColumns, thresholds: Thresholds): Uint8Array {
  const n = cols.msp.length;
  expectLength(cols.oodScore, n, 'oodScore');
  expectLength(cols.labelIssue, n, 'labelIssue');
  // The three columns have n values, so cols.*[i] with i < n is in range.
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let f = 0;
    if (cols.msp[i]! > thresholds.lowConfidence) f |= DoubtFlag.lowConfidence;
    if (cols.oodScore[i]! > thresholds.ood) f |= DoubtFlag.ood;
    if (cols.labelIssue[i]! > thresholds.labelIssue) f |= DoubtFlag.labelIssue;
    out[i] = f;
  }
  return out;
}
