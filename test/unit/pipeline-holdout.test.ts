// The held-out split: stratified ~10% of every known class, seeded, 'other' never held out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classIndicesOf, modelClasses, stratifiedHoldOut } from '../../src/main/engine/pipeline/holdout.js';
import { assignFolds } from '../../src/main/engine/pipeline/label-check.js';

const labels: (string | null)[] = [];
for (let i = 0; i < 1000; i++) labels.push(String(i % 4));
for (let i = 0; i < 50; i++) labels.push('other');
for (let i = 0; i < 30; i++) labels.push(null);
labels.push('lonely');

test('holds out ~10% of each known class, never other, unlabeled or a single-sample class', () => {
  const s = stratifiedHoldOut(labels, 0.1, 1);
  const count = (idx: Int32Array, l: string | null) => Array.from(idx).filter((i) => labels[i] === l).length;
  for (const c of ['0', '1', '2', '3']) {
    assert.equal(count(s.heldOut, c), 25);
    assert.equal(count(s.train, c), 225);
  }
  assert.equal(count(s.heldOut, 'other'), 0);
  assert.equal(count(s.train, 'other'), 50);
  assert.equal(count(s.train, null) + count(s.heldOut, null), 0);
  assert.equal(count(s.train, 'lonely'), 1);
  assert.equal(new Set([...s.train, ...s.heldOut]).size, s.train.length + s.heldOut.length);
});

test('the split is a function of the seed', () => {
  assert.deepEqual(stratifiedHoldOut(labels, 0.1, 1), stratifiedHoldOut(labels, 0.1, 1));
  assert.notDeepEqual(stratifiedHoldOut(labels, 0.1, 1).heldOut, stratifiedHoldOut(labels, 0.1, 2).heldOut);
});

test("model classes: known classes in order, new labels after, 'other' last", () => {
  assert.deepEqual(modelClasses(['0', '1'], ['1', 'other', 'zz', null, '0']), ['0', '1', 'zz', 'other']);
  assert.deepEqual(modelClasses(['0', '1'], ['1', '0']), ['0', '1']);
});

test('folds are stratified and cover every labeled sample once', () => {
  const folds = assignFolds(labels, 2, 3);
  for (const c of ['0', '1', '2', '3', 'other']) {
    const f = labels.flatMap((l, i) => (l === c ? [folds[i]] : []));
    const zeros = f.filter((x) => x === 0).length;
    assert.ok(Math.abs(zeros - f.length / 2) <= 1, `class ${c}: ${zeros} of ${f.length} in fold 0`);
  }
  labels.forEach((l, i) => assert.equal(folds[i] === -1, l === null));
});

test('class indices of training rows; an unlabeled row or a label outside the classes is an error naming it', () => {
  const ls = ['b', 'a', null, 'c'];
  assert.deepEqual(Array.from(classIndicesOf([0, 1], ls, ['a', 'b'])), [1, 0]);
  // Without the check these would train as class 0.
  assert.throws(() => classIndicesOf([0, 2], ls, ['a', 'b']), /training sample 2: label null/);
  assert.throws(() => classIndicesOf([3], ls, ['a', 'b']), /training sample 3: label "c" is not one of \[a, b\]/);
});
