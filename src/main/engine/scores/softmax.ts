// Row-wise softmax and log-sum-exp over N x C row-major logits.
import { expectPositive, rowCount } from './validate.js';

/**
 * log(sum_c exp(logits[c] / temperature)) of every row, computed around the row maximum so
 * that logits in the hundreds (a confident CNN) neither overflow nor lose the small terms.
 */
export function rowLogSumExp(logits: Float32Array, numClasses: number, temperature = 1): Float64Array {
  // n rows of numClasses: o + c < logits.length below.
  const n = rowCount(logits, numClasses, 'logits');
  expectPositive(temperature, 'temperature');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * numClasses;
    let max = -Infinity;
    for (let c = 0; c < numClasses; c++) max = Math.max(max, logits[o + c]! / temperature);
    if (!Number.isFinite(max)) throw new Error(`logits: row ${i} has a non-finite maximum (${max})`);
    let s = 0;
    for (let c = 0; c < numClasses; c++) s += Math.exp(logits[o + c]! / temperature - max);
    out[i] = max + Math.log(s);
  }
  return out;
}

/** Row-wise softmax(logits / temperature); rows sum to 1. */
export function softmax(logits: Float32Array, numClasses: number, temperature = 1): Float32Array {
  const lse = rowLogSumExp(logits, numClasses, temperature); // one per row of numClasses logits
  const out = new Float32Array(logits.length);
  for (let i = 0; i < lse.length; i++) {
    const o = i * numClasses;
    for (let c = 0; c < numClasses; c++) out[o + c] = Math.exp(logits[o + c]! / temperature - lse[i]!);
  }
  return out;
}
