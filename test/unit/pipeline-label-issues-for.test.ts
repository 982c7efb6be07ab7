// A label check that finished after a reviewer changed a few labels still counts for every
// other sample; the changed ones are "not judged" (NaN) until the next check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelIssuesFor } from '../../src/main/engine/pipeline/label-check.js';
import type { LabelIssues } from '../../src/main/engine/scores/index.js';

const issues: LabelIssues = { scores: Float32Array.from([0.1, 0.9, NaN, 0.4]), threshold: 0.5, estimatedIssues: 1 };
const judged = ['3', '7', null, '1'];

test('the same labels keep the whole check', () => {
  assert.equal(labelIssuesFor(judged, issues, [...judged]), issues);
});

test('a label changed since the check is not judged; the others keep their verdicts', () => {
  const r = labelIssuesFor(judged, issues, ['3', '1', '5', '1']);
  assert.ok(r);
  assert.deepEqual(Array.from(r.scores), [Float32Array.of(0.1)[0], NaN, NaN, Float32Array.of(0.4)[0]]);
  assert.equal(r.threshold, 0.5);
  assert.ok(Number.isFinite(issues.scores[1]), 'the stored check is not modified');
});

test('a check of a different sample list does not apply', () => {
  assert.equal(labelIssuesFor(judged, issues, ['3', '7']), null);
});
