import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DoubtFlag } from '../../src/shared/api.js';
import {
  doubtFlags,
  LOW_CONFIDENCE_FLOOR,
  lowConfidenceThreshold,
  oodTailScale,
  reviewPriority,
} from '../../src/main/engine/scores/review-priority.js';

const thresholds = { ood: 1, lowConfidence: 0.5, labelIssue: 0.5 };

test('flags: each kind strictly above its threshold, NaN label issue never flagged', () => {
  const cols = {
    msp: new Float32Array([0.1, 0.6, 0.1, 0.1, 0.9, 0.5]),
    oodScore: new Float32Array([0, 0, 2, 0, 3, 1]),
    labelIssue: new Float32Array([Number.NaN, 0.1, 0.2, 0.99, 0.9, 0.5]),
  };
  assert.deepEqual(Array.from(doubtFlags(cols, thresholds)), [
    0,
    DoubtFlag.lowConfidence,
    DoubtFlag.ood,
    DoubtFlag.labelIssue,
    DoubtFlag.lowConfidence | DoubtFlag.ood | DoubtFlag.labelIssue,
    0, // exactly at every threshold
  ]);
});

test('priority: 0 at the threshold, the most doubtful of any kind first, flagged above unflagged', () => {
  const cols = {
    msp: new Float32Array([0.5, 0.05, 0.05, 0.05, 0.3, 0.88]),
    oodScore: new Float32Array([0, 1, 5, 0, 0.9, 0]),
    labelIssue: new Float32Array([Number.NaN, Number.NaN, 0.1, 0.999, 0.4, Number.NaN]),
  };
  const p = reviewPriority(cols, { thresholds, oodTail: 0.5 });
  assert.ok(Math.abs(p[0]!) < 1e-6 && Math.abs(p[1]!) < 1e-6, 'at a threshold = 0');
  // ood 5: (5-1)/0.5 = 8; label 0.999: logit = 6.9; msp 0.88: logit = 2.0.
  assert.ok(Math.abs(p[2]! - 8) < 1e-5);
  assert.ok(Math.abs(p[3]! - Math.log(999)) < 1e-3);
  assert.ok(Math.abs(p[5]! - Math.log(0.88 / 0.12)) < 1e-5);
  const order = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]!);
  assert.deepEqual(order.slice(0, 3), [2, 3, 5]);
  const flags = doubtFlags(cols, thresholds);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) if (flags[i] && !flags[j]) assert.ok(p[i]! > p[j]!);
});

test('low-confidence threshold: held-out 95% with a floor of 0.5', () => {
  const strong = Float32Array.from({ length: 100 }, (_, i) => i / 10000); // q95 = 0.0094
  assert.equal(lowConfidenceThreshold(strong), LOW_CONFIDENCE_FLOOR);
  const weak = Float32Array.from({ length: 100 }, (_, i) => i / 100); // q95 = 0.94
  assert.ok(Math.abs(lowConfidenceThreshold(weak) - 0.94) < 1e-6);
});

test('ood tail scale is the mean excess above the threshold', () => {
  const ref = new Float32Array([0, 0.5, 1, 1, 2, 4]);
  assert.equal(oodTailScale(ref, 1), (1 + 3) / 2);
  // No sample above: falls back to threshold - median; never 0.
  assert.equal(oodTailScale(new Float32Array([0, 1, 2]), 2), 1);
  assert.equal(oodTailScale(new Float32Array([1, 1]), 1), 1);
  assert.throws(
    () =>
      reviewPriority(
        { msp: new Float32Array(1), oodScore: new Float32Array(1), labelIssue: new Float32Array(1) },
        { thresholds, oodTail: 0 },
      ),
    /oodTail/,
  );
});
