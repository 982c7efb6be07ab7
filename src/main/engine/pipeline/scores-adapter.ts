// The one place the pipeline turns logits and neighbour similarities into score columns.
// TEMPORARY local math until src/main/engine/scores (another helper's module) lands; then
// this file delegates to its computeScores.
import { DoubtFlag, type Thresholds } from '../../../shared/api.js';
import type { ScoreTable } from '../engine-client.js';

export interface ScoreColumnsInput {
  logits: Float32Array;
  numClasses: number;
  /** n * k cosine similarities to the nearest training samples. */
  neighbourSims: Float32Array;
  k: number;
  heldOut: Int32Array;
  /** Given class index per sample, -1 when unlabeled. */
  given: Int32Array;
  labelIssue: Float32Array | null;
  otherClass: number;
}

type Columns = Pick<
  ScoreTable,
  'probs' | 'predicted' | 'confidence' | 'msp' | 'margin' | 'entropy' | 'energy' | 'knnDistance' | 'oodScore' | 'labelIssue' | 'reviewPriority' | 'flags'
>;

export function computeScoreColumns(inp: ScoreColumnsInput): {
  columns: Columns;
  thresholds: Thresholds;
  heldOut: ScoreTable['heldOut'];
  temperature: number;
} {
  const C = inp.numClasses;
  const n = inp.logits.length / C;
  const temperature = 1;
  const probs = softmaxRows(inp.logits, C, temperature);
  const predicted = new Int32Array(n);
  const confidence = new Float32Array(n);
  const msp = new Float32Array(n);
  const margin = new Float32Array(n);
  const entropy = new Float32Array(n);
  const energy = new Float32Array(n);
  const knnDistance = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let b1 = 0;
    let b2 = -1;
    let h = 0;
    let max = -Infinity;
    for (let c = 0; c < C; c++) {
      const p = probs[i * C + c];
      if (p > probs[i * C + b1]) {
        b2 = b1;
        b1 = c;
      } else if (c !== b1 && (b2 < 0 || p > probs[i * C + b2])) b2 = c;
      if (p > 0) h -= p * Math.log(p);
      max = Math.max(max, inp.logits[i * C + c]);
    }
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(inp.logits[i * C + c] - max);
    predicted[i] = b1;
    confidence[i] = probs[i * C + b1];
    msp[i] = 1 - confidence[i];
    margin[i] = 1 - (confidence[i] - (b2 >= 0 ? probs[i * C + b2] : 0));
    entropy[i] = h;
    energy[i] = -(max + Math.log(s));
    // Distance to the k-th neighbour (Sun et al. 2022).
    knnDistance[i] = 1 - inp.neighbourSims[i * inp.k + inp.k - 1];
  }
  const oodScore = knnDistance.slice();
  const labelIssue = inp.labelIssue ? inp.labelIssue.slice() : new Float32Array(n).fill(Number.NaN);
  const sortedHeld = (col: Float32Array) => Float32Array.from(inp.heldOut, (i) => col[i]).sort();
  const held = { oodScore: sortedHeld(oodScore), knnDistance: sortedHeld(knnDistance), msp: sortedHeld(msp) };
  const q95 = (a: Float32Array) => (a.length ? a[Math.min(a.length - 1, Math.floor(0.95 * a.length))] : Infinity);
  const thresholds: Thresholds = { ood: q95(held.oodScore), lowConfidence: Math.max(0.5, q95(held.msp)), labelIssue: 0.5 };
  const reviewPriority = new Float32Array(n);
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let f = 0;
    if (msp[i] > thresholds.lowConfidence) f |= DoubtFlag.lowConfidence;
    if (oodScore[i] > thresholds.ood) f |= DoubtFlag.ood;
    if (labelIssue[i] > thresholds.labelIssue) f |= DoubtFlag.labelIssue;
    flags[i] = f;
    const li = Number.isNaN(labelIssue[i]) ? 0 : labelIssue[i];
    reviewPriority[i] = Math.max(oodScore[i] / (thresholds.ood || 1), msp[i] / thresholds.lowConfidence, li / thresholds.labelIssue);
  }
  return {
    columns: { probs, predicted, confidence, msp, margin, entropy, energy, knnDistance, oodScore, labelIssue, reviewPriority, flags },
    thresholds,
    heldOut: held,
    temperature,
  };
}

export function softmaxRows(logits: Float32Array, C: number, temperature = 1): Float32Array {
  const out = new Float32Array(logits.length);
  for (let o = 0; o < logits.length; o += C) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[o + c] / temperature);
    let s = 0;
    for (let c = 0; c < C; c++) s += out[o + c] = Math.exp(logits[o + c] / temperature - max);
    for (let c = 0; c < C; c++) out[o + c] /= s;
  }
  return out;
}

/** Self-confidence label issue: 1 - p(given label) under out-of-fold probabilities. */
export function labelIssueScores(probs: Float32Array, C: number, given: Int32Array): Float32Array {
  const n = given.length;
  const out = new Float32Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) if (given[i] >= 0 && !Number.isNaN(probs[i * C])) out[i] = 1 - probs[i * C + given[i]];
  return out;
}
