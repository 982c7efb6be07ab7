import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confidenceScores } from '../../src/main/engine/scores/confidence.js';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) < tol, `${a} != ${b}`);

test('msp, margin and normalised entropy of hand-computed rows', () => {
  const probs = new Float32Array([0.2, 0.7, 0.1, 1, 0, 0, 1 / 3, 1 / 3, 1 / 3, 0.5, 0.5, 0]);
  const s = confidenceScores(probs, 3);
  assert.deepEqual(Array.from(s.predicted), [1, 0, 0, 0]);
  close(s.maxProb[0]!, 0.7);
  close(s.msp[0]!, 0.3);
  close(s.margin[0]!, 1 - (0.7 - 0.2));
  close(s.entropy[0]!, -(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1)) / Math.log(3));
  // Certain: no doubt at all.
  close(s.msp[1]!, 0);
  close(s.margin[1]!, 0);
  close(s.entropy[1]!, 0);
  // Uniform: maximal doubt.
  close(s.msp[2]!, 2 / 3);
  close(s.margin[2]!, 1);
  close(s.entropy[2]!, 1);
  // Two-way tie: margin 1, entropy log 2 / log 3.
  close(s.margin[3]!, 1);
  close(s.entropy[3]!, Math.log(2) / Math.log(3));
});

test('a single class has no doubt', () => {
  const s = confidenceScores(new Float32Array([1, 1]), 1);
  assert.deepEqual(Array.from(s.entropy), [0, 0]);
  assert.deepEqual(Array.from(s.margin), [0, 0]);
});

test('non-probabilities are refused', () => {
  assert.throws(() => confidenceScores(new Float32Array([0.5, Number.NaN]), 2), /row 0 column 1/);
  assert.throws(() => confidenceScores(new Float32Array([2, -1]), 2), /not a probability/);
});
