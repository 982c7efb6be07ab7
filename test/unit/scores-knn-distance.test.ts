import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knnDistance, knnExcess } from '../../src/main/engine/scores/knn-distance.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} != ${b}`);

test('the distance is one minus the mean similarity of the k neighbours', () => {
  const sims = new Float32Array([0.9, 0.8, 0.5, 1, 1, 1, 0.2, -0.1, -0.4]);
  const d = knnDistance(sims, 3);
  close(d[0]!, 1 - 2.2 / 3);
  close(d[1]!, 0);
  close(d[2]!, 1 - (0.2 - 0.1 - 0.4) / 3);
});

test('bad shapes and NaN similarities throw', () => {
  assert.throws(() => knnDistance(new Float32Array(5), 3), /knn sims: length 5/);
  assert.throws(() => knnDistance(new Float32Array([0.5, Number.NaN]), 2), /row 0/);
});

test('knnExcess: a distance less the mean distance of its neighbours, which must be known', () => {
  // Rows 0-2 are training rows with their own distances; rows 3 and 4 are queries.
  const rowDistance = new Float32Array([0.1, 0.3, 0.2, Number.NaN, Number.NaN]);
  const neighbours = new Int32Array([0, 1, 1, 2]); // k = 2
  const out = knnExcess(new Float32Array([0.5, 0.25]), neighbours, 2, rowDistance);
  assert.ok(Math.abs(out[0]! - (0.5 - 0.2)) < 1e-6);
  assert.ok(Math.abs(out[1]! - (0.25 - 0.25)) < 1e-6);
  assert.throws(
    () => knnExcess(new Float32Array([0.5]), new Int32Array([0, 3]), 2, rowDistance),
    /neighbour 3 of row 0/,
  );
  assert.throws(() => knnExcess(new Float32Array([0.5, 0.1, 0.2]), neighbours, 2, rowDistance), /3 rows for 2/);
});
