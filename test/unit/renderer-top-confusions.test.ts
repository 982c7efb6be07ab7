// Insights for many classes: the largest off-diagonal cells of the confusion matrix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topConfusions } from '../../src/renderer/src/components/top-confusions.js';

test('the largest mix-ups first, never the diagonal, with their share of the given label', () => {
  const rows = ['cat', 'dog', 'fox', 'other'];
  const cols = ['cat', 'dog', 'fox'];
  const matrix = [
    [50, 8, 2],
    [3, 40, 0],
    [0, 8, 2],
    [1, 0, 0],
  ];
  assert.deepEqual(topConfusions(rows, cols, matrix, 3), [
    { given: 'fox', predicted: 'dog', count: 8, share: 0.8 },
    { given: 'cat', predicted: 'dog', count: 8, share: 8 / 60 },
    { given: 'dog', predicted: 'cat', count: 3, share: 3 / 43 },
  ]);
  assert.deepEqual(
    topConfusions(
      rows,
      cols,
      [
        [5, 0, 0],
        [0, 5, 0],
        [0, 0, 5],
        [0, 0, 0],
      ],
      3,
    ),
    [],
  );
});
