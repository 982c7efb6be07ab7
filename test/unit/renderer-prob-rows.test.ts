// The detail panel's probability list: every class in order for a few, the likeliest and the
// given label for many (37 pet breeds would fill the panel).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probRows } from '../../src/renderer/src/components/prob-rows.js';

test('up to twelve classes are listed in their own order', () => {
  const classes = Array.from({ length: 10 }, (_, i) => String(i));
  assert.deepEqual(probRows(classes, [0.1, 0.5, 0, 0, 0, 0, 0, 0.4, 0, 0], '7'), {
    rows: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    rest: null,
  });
});

test('more are cut to the eight likeliest and the given label, with what the rest add up to', () => {
  const classes = Array.from({ length: 30 }, (_, i) => `c${i}`);
  const probs = classes.map((_, i) => (i < 10 ? (10 - i) / 100 : 0.45 / 20));
  const { rows, rest } = probRows(classes, probs, 'c29');
  assert.deepEqual(rows, [0, 1, 2, 3, 4, 5, 6, 7, 29]);
  assert.equal(rest?.count, 21);
  assert.ok(Math.abs(rest!.p - (1 - probs.filter((_, i) => rows.includes(i)).reduce((a, b) => a + b, 0))) < 1e-9);
});
