// Joint feature rows: the selected rows' blocks side by side, and bad shapes named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jointRows } from '../../src/main/engine/embeddings/joint-features.js';

const emb = { values: Float32Array.from([1, 2, 3, 4, 5, 6]), dim: 2 }; // 3 rows
const stats = { values: Float32Array.from([10, 20, 30]), dim: 1 };

test('selected rows, blocks in order', () => {
  const j = jointRows([2, 0], [emb, stats]);
  assert.equal(j.dim, 3);
  assert.deepEqual(Array.from(j.vectors), [5, 6, 30, 1, 2, 10]);
  assert.deepEqual(Array.from(jointRows([1], [emb]).vectors), [3, 4]);
  assert.equal(jointRows([], [emb, stats]).vectors.length, 0);
});

test('blocks of different row counts, bad rows and no blocks are errors', () => {
  assert.throws(
    () => jointRows([0], [emb, { values: new Float32Array(2), dim: 1 }]),
    /block 1 has 2 values, expected 3 rows/,
  );
  assert.throws(() => jointRows([3], [emb, stats]), /row 3 is not below 3/);
  assert.throws(() => jointRows([0], []), /no feature blocks/);
  assert.throws(() => jointRows([0], [{ values: new Float32Array(0), dim: 0 }]), /block 0 has dim 0/);
});
