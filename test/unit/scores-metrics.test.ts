import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auroc, fprAtTpr, precisionAtK } from '../../src/main/engine/scores/metrics.js';

test('auroc: separated = 1, reversed = 0, all tied = 0.5', () => {
  assert.equal(auroc([5, 6, 7], [1, 2, 3]), 1);
  assert.equal(auroc([1, 2, 3], [5, 6, 7]), 0);
  assert.equal(auroc([4, 4, 4], [4, 4]), 0.5);
});

test('auroc: hand-counted pairs, ties count one half', () => {
  // (0.8>0.5) (0.8>0.1) (0.4<0.5) (0.4>0.1): 3 of 4.
  assert.equal(auroc([0.8, 0.4], [0.5, 0.1]), 0.75);
  // (0.5=0.5) counts 1/2, (0.5>0.2) counts 1.
  assert.equal(auroc([0.5], [0.5, 0.2]), 0.75);
  assert.equal(auroc([Infinity, 1], [Infinity, 0]), 0.625); // 0.5 + 1 + 0 + 1 of 4
});

test('auroc matches the O(n^2) pair count on random data', () => {
  const pos = Array.from({ length: 300 }, (_, i) => Math.round(Math.sin(i * 1.7) * 10));
  const neg = Array.from({ length: 200 }, (_, i) => Math.round(Math.cos(i * 2.3) * 10) - 2);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  assert.ok(Math.abs(auroc(pos, neg) - wins / (pos.length * neg.length)) < 1e-12);
  assert.throws(() => auroc([], [1]), /positives \(0\)/);
  assert.throws(() => auroc([Number.NaN], [1]), /NaN/);
});

test('fprAtTpr: fraction of outliers accepted at the 95%-of-inliers threshold', () => {
  const inDist = Array.from({ length: 100 }, (_, i) => i + 1); // threshold 95
  assert.equal(fprAtTpr(inDist, [50, 96, 200]), 1 / 3);
  assert.equal(fprAtTpr(inDist, [95, 96]), 0.5); // a tie with the threshold counts as accepted
  assert.equal(fprAtTpr(inDist, [101, 300]), 0);
  assert.equal(fprAtTpr(inDist, [1, 2]), 1);
  assert.equal(fprAtTpr(inDist, [60, 85], 0.8), 0.5); // threshold 80
});

test('precisionAtK, with ties at the cut-off shared out', () => {
  assert.equal(precisionAtK([0.9, 0.8, 0.1, 0.05], [true, false, true, false], 2), 0.5);
  assert.equal(precisionAtK([0.9, 0.8, 0.1, 0.05], [1, 1, 0, 0], 2), 1);
  // Scores 3, 2, 2, 1: the two 2s (one positive) share the second place: 1 + 1/2.
  assert.equal(precisionAtK([3, 2, 2, 1], [1, 1, 0, 0], 2), 0.75);
  assert.equal(precisionAtK([2, 3, 1, 2], [0, 1, 0, 1], 2), 0.75);
  assert.throws(() => precisionAtK([1, 2], [1], 1), /2 scores but 1 labels/);
  assert.throws(() => precisionAtK([1, 2], [1, 0], 3), /k must be in 1..2/);
});
