// Byte scaling refuses positions outside its arrays: a negative start (an index of -1 for
// a pending row) used to read undefined bytes and write NaN inputs without a word.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scaleBytes } from '../../src/main/engine/model/pixel-scale.js';

test('scales bytes to 0..1 as v / 255 in float32', () => {
  const out = scaleBytes(Uint8Array.from([0, 51, 255]), new Float32Array(3));
  assert.deepEqual(Array.from(out), [0, Math.fround(51 / 255), 1]);
});

test('a start before either array, or past its end, is a RangeError, not NaN inputs', () => {
  const bytes = new Uint8Array(8).fill(255);
  const out = new Float32Array(4);
  assert.throws(() => scaleBytes(bytes, out, -4, 0, 4), RangeError);
  assert.throws(() => scaleBytes(bytes, out, 0, -1, 4), RangeError);
  assert.throws(() => scaleBytes(bytes, out, 6, 0, 4), RangeError);
  assert.throws(() => scaleBytes(bytes, out, 1.5, 0, 2), RangeError);
  assert.ok(
    out.every((v) => v === 0),
    'nothing was written',
  );
});
