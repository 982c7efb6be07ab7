// Label issues in the confident-learning spirit (Northcutt et al. 2021): judge each given
// label with OUT-OF-FOLD probabilities, from a model that never trained on that sample. A
// model scoring its own training labels has memorised them and calls almost all of them fine.
import { expectLength, rowCount } from './validate.js';

/**
 * Fixed threshold on label_issue = 1 - p_oof(given label): a label is flagged when the
 * out-of-fold model gives it less than even odds, i.e. it believes the label more likely
 * wrong than right. With calibrated probabilities this is the decision that minimises
 * expected mistakes; it needs no per-class fit (confident learning's per-class thresholds,
 * the mean self-confidence of each class, flag a fixed share of every class even when a
 * class is clean, and are unstable for small classes).
 */
export const LABEL_ISSUE_THRESHOLD = 0.5;

/**
 * label_issue of every row: 1 - p_oof(given), in [0, 1], higher = more likely mislabelled.
 * NaN where the row is unlabelled (given = -1) or has no out-of-fold probabilities (a NaN
 * row, e.g. the check has not covered it). A given label outside 0..C-1 throws.
 */
export function labelIssueScores(oofProbs: Float32Array, numClasses: number, given: Int32Array): Float32Array {
  const n = rowCount(oofProbs, numClasses, 'out-of-fold probs');
  expectLength(given, n, 'given labels');
  const out = new Float32Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const y = given[i];
    if (y === -1) continue;
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new Error(`given labels: row ${i} has label ${y}, not -1 or a class index below ${numClasses}`);
    }
    const p = oofProbs[i * numClasses + y];
    if (Number.isNaN(p)) continue;
    if (!(p >= 0 && p <= 1 + 1e-5)) throw new Error(`out-of-fold probs: row ${i} column ${y} is not a probability (${p})`);
    out[i] = Math.max(0, 1 - p);
  }
  return out;
}
