// Softmax-space doubt: how unsure the model says it is. All three are oriented so that
// higher = more doubtful, like every other score column.
import { rowCount } from './validate.js';

export interface ConfidenceScores {
  /** Arg-max class of every row (first one on ties). */
  predicted: Int32Array;
  /** Probability of the predicted class. */
  maxProb: Float32Array;
  /** 1 - max p: 0 for a certain prediction, up to 1 - 1/C for a uniform one. */
  msp: Float32Array;
  /** 1 - (p1 - p2): 0 when the runner-up has no mass, 1 when the top two tie. */
  margin: Float32Array;
  /**
   * Shannon entropy (natural log) divided by log C, so it lies in [0, 1] whatever the class
   * count: the 'other' class appearing after a review must not shift every entropy up.
   * 0 when C = 1.
   */
  entropy: Float32Array;
}

/** Confidence scores from N x C probabilities (rows summing to 1). */
export function confidenceScores(probs: Float32Array, numClasses: number): ConfidenceScores {
  const n = rowCount(probs, numClasses, 'probs'); // o + c < probs.length below
  const predicted = new Int32Array(n);
  const maxProb = new Float32Array(n);
  const msp = new Float32Array(n);
  const margin = new Float32Array(n);
  const entropy = new Float32Array(n);
  const logC = Math.log(numClasses);
  for (let i = 0; i < n; i++) {
    const o = i * numClasses;
    let best = 0;
    let p1 = -Infinity;
    let p2 = 0;
    let h = 0;
    for (let c = 0; c < numClasses; c++) {
      const p = probs[o + c]!;
      if (!(p >= 0 && p <= 1 + 1e-5)) throw new Error(`probs: row ${i} column ${c} is not a probability (${p})`);
      if (p > p1) {
        p2 = p1 === -Infinity ? 0 : p1;
        p1 = p;
        best = c;
      } else if (p > p2) {
        p2 = p;
      }
      if (p > 0) h -= p * Math.log(p);
    }
    predicted[i] = best;
    maxProb[i] = p1;
    msp[i] = 1 - p1;
    margin[i] = 1 - (p1 - p2);
    entropy[i] = numClasses > 1 ? Math.min(1, Math.max(0, h / logC)) : 0;
  }
  return { predicted, maxProb, msp, margin, entropy };
}
