import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  estimateLabelIssueCount,
  findLabelIssues,
  LABEL_ISSUE_FLOOR,
  labelIssueScores,
} from '../../src/main/engine/scores/label-issue.js';

test('label issue = 1 - out-of-fold probability of the given label', () => {
  const oof = new Float32Array([0.9, 0.1, 0, 0.05, 0.05, 0.9, 0.3, 0.3, 0.4, Number.NaN, Number.NaN, Number.NaN]);
  const s = labelIssueScores(oof, 3, new Int32Array([0, 0, -1, 2]));
  assert.ok(Math.abs(s[0]! - 0.1) < 1e-6);
  assert.ok(Math.abs(s[1]! - 0.95) < 1e-6);
  assert.ok(Number.isNaN(s[2]), 'unlabelled row must be NaN');
  assert.ok(Number.isNaN(s[3]), 'row without out-of-fold probabilities must be NaN');
});

/**
 * Two classes, 10 rows each. Class-0 rows: p0 = 0.9; class-1 rows: p1 = 0.8. Per-class
 * thresholds are the means of those (slightly lowered by the mislabelled rows).
 * `wrong` rows labelled 0 whose probabilities say class 1 with p1 = 0.95, plus `hard`
 * rows labelled 0 the model hesitates on (p0 = 0.4: below even odds, but no other class
 * reaches its threshold).
 */
function twoClass(wrong: number, hard: number): { oof: Float32Array; given: Int32Array } {
  const rows: [number, number, number][] = [];
  for (let i = 0; i < 10; i++) rows.push([0.9, 0.1, 0]);
  for (let i = 0; i < 10; i++) rows.push([0.2, 0.8, 1]);
  for (let i = 0; i < wrong; i++) rows.push([0.05, 0.95, 0]);
  for (let i = 0; i < hard; i++) rows.push([0.4, 0.6, 0]);
  return { oof: Float32Array.from(rows.flatMap(([a, b]) => [a, b])), given: Int32Array.from(rows, (r) => r[2]) };
}

test('confident-learning count: the off-diagonal of the confident joint', () => {
  // t0 = mean p0 over label-0 rows, t1 = mean p1 over label-1 rows = 0.8. The 3 wrong rows
  // have p1 = 0.95 >= t1: off-diagonal. The hard rows have p1 = 0.6 < 0.8, p0 = 0.4 < t0: in
  // no cell, so the calibration scales label 0's row up to its 15 rows: 3 * 15/13.
  const { oof, given } = twoClass(3, 2);
  assert.ok(Math.abs(estimateLabelIssueCount(oof, 2, given) - (3 * 15) / 13) < 1e-9);
  const clean = twoClass(0, 0);
  assert.equal(estimateLabelIssueCount(clean.oof, 2, clean.given), 0);
});

test('the threshold flags about the estimated number of rows, never below the floor', () => {
  const { oof, given } = twoClass(3, 2);
  const r = findLabelIssues(oof, 2, given);
  const flagged = Array.from(r.scores.keys()).filter((i) => r.scores[i]! > r.threshold);
  // Estimate 3.46 -> 3 rows: exactly the mislabelled ones, not the hard ones (score 0.6 > 0.5).
  assert.deepEqual(flagged, [20, 21, 22]);
  assert.ok(r.threshold >= LABEL_ISSUE_FLOOR);
  // Clean labels: nothing flagged even though nothing is certain.
  const clean = twoClass(0, 0);
  const c = findLabelIssues(clean.oof, 2, clean.given);
  assert.equal(c.scores.filter((x) => x > c.threshold).length, 0);
  // Rows labelled 0 with p0 = 0.6 never pass the floor, whatever the estimate.
  const soft = findLabelIssues(new Float32Array([0.6, 0.4, 0.6, 0.4]), 2, new Int32Array([0, 0]));
  assert.equal(soft.threshold, LABEL_ISSUE_FLOOR);
});

test('labels outside the classes and shape mismatches throw', () => {
  assert.throws(() => labelIssueScores(new Float32Array([0.5, 0.5]), 2, new Int32Array([2])), /row 0 has label 2/);
  assert.throws(
    () => labelIssueScores(new Float32Array([0.5, 0.5]), 2, new Int32Array([0, 1])),
    /given labels: expected 1/,
  );
  assert.throws(
    () => labelIssueScores(new Float32Array([0.5, 0.5, 1]), 2, new Int32Array([0])),
    /out-of-fold probs: length 3/,
  );
});
