// The held-out split: stratified ~10% of every known class, seeded, 'other' never held out;
// by id hash (a head's), decisions move only the samples at the edge of a class's share.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  classIndicesOf,
  modelClasses,
  stableHoldOut,
  stratifiedHoldOut,
  type HoldOutSplit,
} from '../../src/main/engine/pipeline/holdout.js';
import { assignFolds } from '../../src/main/engine/pipeline/label-check.js';

const labels: (string | null)[] = [];
for (let i = 0; i < 1000; i++) labels.push(String(i % 4));
for (let i = 0; i < 50; i++) labels.push('other');
for (let i = 0; i < 30; i++) labels.push(null);
labels.push('lonely');
const ids = labels.map((_, i) => `id${i}`);
const splits: [string, (l: (string | null)[], seed: number) => HoldOutSplit][] = [
  ['shuffled', (l, seed) => stratifiedHoldOut(l, 0.1, seed)],
  ['by id hash', (l, seed) => stableHoldOut(l, ids.slice(0, l.length), 0.1, seed)],
];

for (const [name, split] of splits)
  test(`${name}: holds out ~10% of each known class, never other, unlabeled or a single-sample class; seeded`, () => {
    const s = split(labels, 1);
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
    assert.deepEqual(split(labels, 1), split(labels, 1));
    assert.notDeepEqual(split(labels, 1).heldOut, split(labels, 2).heldOut);
  });

test('by id hash, labelling 30 more samples of a class moves few training samples to held out', () => {
  const before = labels.map((l, i) => (i >= 1050 && i < 1080 ? null : l));
  const after = labels.map((l, i) => (i >= 1050 && i < 1080 ? '0' : l));
  const moved = (split: HoldOutSplit, next: HoldOutSplit) => {
    const was = new Set(split.train);
    return Array.from(next.heldOut).filter((i) => was.has(i)).length;
  };
  const a = stableHoldOut(before, ids, 0.1, 1);
  const b = stableHoldOut(after, ids, 0.1, 1);
  assert.ok(moved(a, b) <= 3, `${moved(a, b)} training samples held out after the decisions`);
  // The shuffle draws the class anew (why a head does not use it).
  assert.ok(moved(stratifiedHoldOut(before, 0.1, 1), stratifiedHoldOut(after, 0.1, 1)) > 10);
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
