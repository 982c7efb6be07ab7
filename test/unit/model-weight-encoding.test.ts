// The shipped model's weight coding: int8 per output channel and float16 round trips, and
// the shapes it cannot code are refused instead of coded as zeros.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeWeight, encodeWeight, type WeightEntry } from '../../src/main/engine/model/weight-encoding.js';

const values = Float32Array.of(0.5, -2, 0.25, 4, -0.125, 1);
const shape = [3, 2];

function entry(encoding: WeightEntry['encoding'], bytes: Uint8Array, scales?: number[]): WeightEntry {
  return { name: 'w', shape, encoding, offset: 0, bytes: bytes.length, ...(scales ? { scales } : {}) };
}

test('int8 keeps each output channel within half a step of its scale', () => {
  const { bytes, scales } = encodeWeight(values, shape, 'int8');
  assert.equal(scales?.length, 2);
  const back = decodeWeight(bytes, entry('int8', bytes, scales), values.length, 'test');
  values.forEach((v, i) => assert.ok(Math.abs(back[i]! - v) <= (scales?.[i % 2] ?? 0) / 2 + 1e-7, `value ${i}`));
});

test('float16 is exact for values a half holds', () => {
  const { bytes } = encodeWeight(values, shape, 'float16');
  assert.deepEqual(Array.from(decodeWeight(bytes, entry('float16', bytes), values.length, 'test')), Array.from(values));
});

test('an int8 shape whose last axis does not divide the values is refused, not coded as zeros', () => {
  // A last axis of 0 made every scale undefined and every coded value 0.
  assert.throws(() => encodeWeight(values, [6, 0], 'int8'), /column count must be a positive integer, got 0/);
  assert.throws(() => encodeWeight(values, [4], 'int8'), /length 6 is not a multiple of 4/);
  const { bytes, scales } = encodeWeight(values, shape, 'int8');
  const noAxis = { ...entry('int8', bytes, scales), shape: [] };
  assert.throws(
    () => decodeWeight(bytes, noAxis, values.length, 'model.json'),
    /model.json: weight w has no output-channel axis/,
  );
});
