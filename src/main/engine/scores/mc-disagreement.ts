// MC-dropout disagreement (Gal & Ghahramani 2016): how much the model's answer changes when
// its dropout stays on at inference. The passes themselves run in the model layer
// (model/mc-dropout.ts); this is the pure arithmetic over their probabilities.
//
// The measure is the variation ratio -- the share of passes whose top class is not the
// passes' majority class -- with its ties broken by the variance, across the passes, of the
// probability of the class with the highest mean probability. Most rows have every pass
// agree (ratio 0), and among those the variance still orders them. Chosen over the mutual
// information (BALD) and the variance alone on the development distractor kinds only
// (missegmented, scribble, noise, fashion; docs/score-selection/mc-disagreement.md): worst AUROC over
// the kinds at 20k and 60k training images 0.79 for this measure, 0.62 for the ratio with
// its ties left as ties, 0.41 for BALD and 0.42 for the variance (T = 32). BALD and the variance rank pure noise as LESS doubtful than a
// digit: the model is confidently and stably wrong on it, which is the problem this tool
// exists for, and the ratio's vote count is what gets past the stable probabilities.
import { rowCount } from './validate.js';

/**
 * Disagreement of every row, higher = more doubtful. `probs` holds, row by row, the class
 * probabilities of each of `passes` stochastic passes: n x passes x numClasses.
 *
 * score = (d + min(4 v, 0.999)) / passes, where d = number of passes whose top class differs
 * from the majority top class (ties: the lower class index) and v = variance over the passes
 * of the probability of the class with the highest mean probability (v <= 1/4, so 4v <= 1).
 * A row with more dissenting passes always scores higher than one with fewer; the score is
 * in [0, 1). A row with a non-finite probability scores NaN.
 */
export function mcDisagreement(probs: Float32Array, passes: number, numClasses: number): Float32Array {
  if (!Number.isInteger(passes) || passes < 2)
    throw new Error(`mcDisagreement: passes must be an integer >= 2, got ${passes}`);
  const C = numClasses;
  // n rows of passes x C values: with t < passes and c < C, every index below is in range.
  const n = rowCount(probs, passes * C, 'mcDisagreement probs (n x passes x classes)');
  const out = new Float32Array(n);
  const votes = new Int32Array(C);
  const mean = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    const base = i * passes * C;
    votes.fill(0);
    mean.fill(0);
    let finite = true;
    for (let t = 0; t < passes; t++) {
      const o = base + t * C;
      let top = 0;
      for (let c = 0; c < C; c++) {
        const p = probs[o + c]!;
        if (!Number.isFinite(p)) finite = false;
        mean[c]! += p;
        if (p > probs[o + top]!) top = c;
      }
      votes[top]!++;
    }
    if (!finite) {
      out[i] = Number.NaN;
      continue;
    }
    let majority = 0;
    let best = 0;
    for (let c = 1; c < C; c++) {
      if (votes[c]! > votes[majority]!) majority = c;
      if (mean[c]! > mean[best]!) best = c;
    }
    const mu = mean[best]! / passes;
    let v = 0;
    for (let t = 0; t < passes; t++) v += (probs[base + t * C + best]! - mu) ** 2;
    v /= passes;
    const dissent = passes - votes[majority]!;
    out[i] = (dissent + Math.min(4 * v, 0.999)) / passes;
  }
  return out;
}
