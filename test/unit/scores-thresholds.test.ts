import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentileOf, quantile, sortedReference, thresholdAtTpr } from '../../src/main/engine/scores/thresholds.js';

const range = (a: number, b: number) => Float32Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('threshold at 95% TPR keeps 95% of the reference at or below it', () => {
  assert.equal(thresholdAtTpr(range(1, 100), 0.95), 95);
  assert.equal(thresholdAtTpr(range(1, 20), 0.95), 19);
  assert.equal(thresholdAtTpr(range(1, 10), 0.95), 10);
  assert.equal(thresholdAtTpr(range(1, 100), 1), 100);
  for (const n of [7, 33, 101, 1000]) {
    const ref = sortedReference(Float32Array.from({ length: n }, (_, i) => Math.cos(i * 7.3)));
    const t = thresholdAtTpr(ref);
    const below = ref.filter((x) => x <= t).length;
    assert.ok(below >= 0.95 * n, `n=${n}: ${below} at or below`);
    assert.ok(ref.filter((x) => x < t).length < 0.95 * n, `n=${n}: threshold is not the smallest such value`);
  }
  assert.throws(() => thresholdAtTpr(new Float32Array(0)), /empty reference/);
  assert.throws(() => thresholdAtTpr(range(1, 3), 0), /tpr/);
});

test('percentileOf uses mid-ranks and saturates at 0 and 100', () => {
  const ref = new Float32Array([1, 2, 3, 4]);
  assert.equal(percentileOf(ref, 2.5), 50);
  assert.equal(percentileOf(ref, 2), 37.5);
  assert.equal(percentileOf(ref, 0), 0);
  assert.equal(percentileOf(ref, 9), 100);
  assert.equal(percentileOf(new Float32Array([5, 5, 5]), 5), 50);
  assert.ok(Number.isNaN(percentileOf(ref, Number.NaN)));
  assert.ok(Number.isNaN(percentileOf(new Float32Array(0), 1)));
});

test('sortedReference drops NaN and sorts ascending; quantile interpolates', () => {
  assert.deepEqual(Array.from(sortedReference([3, Number.NaN, 1, 2])), [1, 2, 3]);
  assert.equal(quantile(new Float32Array([0, 10]), 0.5), 5);
  assert.equal(quantile(new Float32Array([1, 2, 3]), 0.5), 2);
  assert.throws(() => quantile(new Float32Array([1, 2, 3]), Number.NaN), /q is NaN/); // it answered NaN
});
