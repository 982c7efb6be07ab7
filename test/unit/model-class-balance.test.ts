import assert from 'node:assert/strict';
import { test } from 'node:test';
import { balanceClass } from '../../src/main/engine/model/class-balance.js';
import { resolveTrainOptions } from '../../src/main/engine/pipeline/train-model.js';

test("a rare class is repeated to an average class's count, each repeat a plain copy", () => {
  // Classes 0 and 1 have 40 and 60 entries (mean 50); class 2 has 5: repeated 10 times.
  const labels = [...Array(40).fill(0), ...Array(60).fill(1), ...Array(5).fill(2)];
  const indices = labels.map((_, i) => 1000 + i);
  const out = balanceClass(indices, labels, 2);
  assert.equal(out.indices.length, 100 + 50);
  assert.deepEqual(Array.from(out.indices.subarray(0, 105)), indices, 'the original entries first, in order');
  const counts = [0, 0, 0];
  out.labels.forEach((y) => counts[y]!++);
  assert.deepEqual(counts, [40, 60, 50]);
  for (let j = 105; j < out.indices.length; j++) {
    assert.equal(out.labels[j], 2);
    assert.ok(out.indices[j]! >= 1100, 'a repeat points at one of the class-2 images');
  }
});

test('a class as big as the others, an absent class, or no other class is left as it is', () => {
  assert.equal(balanceClass([1, 2, 3, 4], [0, 0, 1, 1], 1).indices.length, 4);
  assert.equal(balanceClass([1, 2, 3], [0, 0, 1], 2).indices.length, 3);
  assert.equal(balanceClass([1, 2], [2, 2], 2).indices.length, 2);
  assert.throws(() => balanceClass([1, 2], [0], 0), /labels \(1\) and indices \(2\)/);
});

test("a training's options balance 'other' only when the model has that class", () => {
  assert.equal(resolveTrainOptions(3, 42, ['0', '1', 'other']).balanceClass, 2);
  assert.equal(
    'balanceClass' in resolveTrainOptions(3, 42, ['0', '1']),
    false,
    'no key: model versions stay as they were',
  );
  assert.equal('balanceClass' in resolveTrainOptions(3, 42), false);
});
