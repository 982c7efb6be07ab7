import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LABEL_ISSUE_THRESHOLD, labelIssueScores } from '../../src/main/engine/scores/label-issue.js';

test('label issue = 1 - out-of-fold probability of the given label', () => {
  const oof = new Float32Array([0.9, 0.1, 0, 0.05, 0.05, 0.9, 0.3, 0.3, 0.4, Number.NaN, Number.NaN, Number.NaN]);
  const s = labelIssueScores(oof, 3, new Int32Array([0, 0, -1, 2]));
  assert.ok(Math.abs(s[0] - 0.1) < 1e-6);
  assert.ok(Math.abs(s[1] - 0.95) < 1e-6);
  assert.ok(Number.isNaN(s[2]), 'unlabelled row must be NaN');
  assert.ok(Number.isNaN(s[3]), 'row without out-of-fold probabilities must be NaN');
  // The clean label is under the threshold, the wrong one above it.
  assert.ok(s[0] < LABEL_ISSUE_THRESHOLD && s[1] > LABEL_ISSUE_THRESHOLD);
});

test('labels outside the classes and shape mismatches throw', () => {
  assert.throws(() => labelIssueScores(new Float32Array([0.5, 0.5]), 2, new Int32Array([2])), /row 0 has label 2/);
  assert.throws(() => labelIssueScores(new Float32Array([0.5, 0.5]), 2, new Int32Array([0, 1])), /given labels: expected 1/);
  assert.throws(() => labelIssueScores(new Float32Array([0.5, 0.5, 1]), 2, new Int32Array([0])), /out-of-fold probs: length 3/);
});
