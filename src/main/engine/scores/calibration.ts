// Temperature scaling (Guo et al. 2017): one scalar T fitted on held-out labelled data so
// that softmax(logits / T) is calibrated. It rescales every probability but never changes
// the predicted class, which is why it is safe to fit after training.
import { softmax } from './softmax.js';
import { expectIndices, expectLength, rowCount } from './validate.js';

export interface TemperatureFit {
  temperature: number;
  /** Mean negative log-likelihood of the labels at T = 1 and at the fitted T. */
  nllBefore: number;
  nllAfter: number;
  /** Rows that took part (label in 0..C-1). */
  used: number;
  /**
   * True when the minimum lies at the edge of TEMPERATURE_RANGE: the NLL kept falling, which
   * happens when every held-out row is classified correctly (sharper is always better) and
   * says nothing about calibration on new data.
   */
  atBoundary: boolean;
}

/** Search range for T. Outside it the data are degenerate (see fitTemperature). */
export const TEMPERATURE_RANGE = [0.05, 20] as const;

/**
 * Mean NLL of `labels` under softmax(logits * beta), beta = 1 / T, over rows whose label is
 * a class index (others are skipped).
 */
export function meanNll(logits: Float32Array, numClasses: number, labels: Int32Array, beta: number): number {
  const n = rowCount(logits, numClasses, 'logits');
  expectLength(labels, n, 'labels');
  let sum = 0;
  let used = 0;
  // i < n = labels.length, n * numClasses = logits.length and y, c < numClasses: every
  // index below is in range.
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y < 0 || y >= numClasses) continue;
    const o = i * numClasses;
    let top = 0;
    for (let c = 1; c < numClasses; c++) if (logits[o + c]! > logits[o + top]!) top = c;
    const max = beta * logits[o + top]!;
    // log1p of the non-maximal terms: a confidently right row has an NLL of ~1e-30, which
    // log(1 + tiny) would round to 0 and leave the search on a flat floor.
    let rest = 0;
    for (let c = 0; c < numClasses; c++) if (c !== top) rest += Math.exp(beta * logits[o + c]! - max);
    sum += max - beta * logits[o + y]! + Math.log1p(rest);
    used++;
  }
  return used ? sum / used : Number.NaN;
}

/**
 * Fits T by minimising the held-out mean NLL. NLL is convex in beta = 1/T (a logsumexp of
 * linear functions minus a linear term), hence unimodal in log beta, so a golden-section
 * search over log beta finds the global minimum without gradients or a learning rate.
 *
 * labels: class index per row, or -1 (row skipped). Rows labelled with a class outside
 * 0..C-1 throw. With no usable row the result is T = 1; when the NLL keeps falling to the
 * edge of the range, the edge is returned with `atBoundary` set, for the caller to decide.
 */
export function fitTemperature(logits: Float32Array, numClasses: number, labels: Int32Array): TemperatureFit {
  const n = rowCount(logits, numClasses, 'logits');
  expectLength(labels, n, 'labels');
  let used = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y >= numClasses || y < -1 || !Number.isInteger(y))
      throw new Error(`labels: row ${i} has label ${y}, not -1 or a class index below ${numClasses}`);
    if (y >= 0) used++;
  }
  if (used === 0) return { temperature: 1, nllBefore: Number.NaN, nllAfter: Number.NaN, used: 0, atBoundary: false };

  const f = (logBeta: number): number => meanNll(logits, numClasses, labels, Math.exp(logBeta));
  let a = -Math.log(TEMPERATURE_RANGE[1]);
  let b = -Math.log(TEMPERATURE_RANGE[0]);
  const invPhi = (Math.sqrt(5) - 1) / 2;
  let x1 = b - invPhi * (b - a);
  let x2 = a + invPhi * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  // Interval shrinks by 0.618 a step: 1e-5 in log beta (T to 0.001%) takes ~30 steps.
  while (b - a > 1e-5) {
    if (f1 <= f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - invPhi * (b - a);
      f1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + invPhi * (b - a);
      f2 = f(x2);
    }
  }
  const logBeta = (a + b) / 2;
  const lo = -Math.log(TEMPERATURE_RANGE[1]);
  const hi = -Math.log(TEMPERATURE_RANGE[0]);
  const nllAfter = f(logBeta);
  // Also at the boundary when an edge is no worse than the minimum found: the NLL can be
  // flat to double precision there (every row right by a wide margin).
  const atBoundary = logBeta - lo < 1e-3 || hi - logBeta < 1e-3 || f(lo) <= nllAfter || f(hi) <= nllAfter;
  return { temperature: Math.exp(-logBeta), nllBefore: f(0), nllAfter, used, atBoundary };
}

/** Calibrated probability of each row's predicted (arg-max) class. */
export function calibratedConfidence(probs: Float32Array, numClasses: number, predicted: Int32Array): Float32Array {
  const n = rowCount(probs, numClasses, 'probs');
  expectLength(predicted, n, 'predicted');
  // A class outside 0..C-1 would read another row's probability (or undefined for row 0).
  expectIndices(predicted, numClasses, 'predicted');
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = probs[i * numClasses + predicted[i]!]!; // in range: checked above
  return out;
}

/**
 * Probability rows (NaN rows left as they are) temperature-scaled to the labels: p^(1/T),
 * renormalised, with T fitted as for logits on log p. Rows labelled -1 or NaN take no part
 * in the fit. A fit at the range's edge is no calibration (every row right by a wide
 * margin): the rows are returned unchanged, with T = 1.
 */
export function temperatureScaledProbs(
  probs: Float32Array,
  numClasses: number,
  labels: Int32Array,
): { probs: Float32Array; temperature: number } {
  const C = numClasses;
  const n = rowCount(probs, C, 'probs');
  expectLength(labels, n, 'labels');
  const logs = new Float32Array(n * C);
  const fitLabels = Int32Array.from(labels);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(probs[i * C]!)) {
      fitLabels[i] = -1;
      continue;
    }
    for (let c = 0; c < C; c++) logs[i * C + c] = Math.log(Math.max(probs[i * C + c]!, 1e-12));
  }
  const fit = fitTemperature(logs, C, fitLabels);
  if (fit.atBoundary || fit.used === 0) return { probs, temperature: 1 };
  // A NaN row's logs stay 0: softmax makes it uniform, and it is put back to NaN.
  const out = softmax(logs, C, fit.temperature);
  for (let i = 0; i < n; i++) if (Number.isNaN(probs[i * C]!)) out.fill(Number.NaN, i * C, (i + 1) * C);
  return { probs: out, temperature: fit.temperature };
}
