// Given rows through the pipeline's own embedding step (real tfjs): the pass-through
// classifier gives back exactly the log-probabilities and features it was handed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embedImages } from '../../src/main/engine/embeddings/embed.js';
import { GivenRowsClassifier, givenRows } from '../../src/main/engine/model/given-rows.js';

const probs = [0.9, 0.1, 0.3, 0.7, 0.5, 0.5];
const logits = Float32Array.from(probs, Math.log);
const features = Float32Array.from([3, 4, 0, 2, 1, 1]);
const rounded = (a: ArrayLike<number>) => Array.from(a, (v) => +v.toFixed(5));

test('embedImages on given rows returns their logits and (unit-norm) features', async () => {
  const e = await embedImages(new GivenRowsClassifier(['a', 'b'], 2), givenRows(logits, features, 2, 2), {
    batchSize: 2,
  });
  assert.deepEqual(rounded(e.logits), rounded(logits));
  assert.ok(e.embeddings);
  // Row 0's features (3, 4) have norm 5.
  assert.deepEqual(rounded(e.embeddings.subarray(0, 2)), [0.6, 0.8]);
});

test('without features the logits stand in for them', async () => {
  const c = new GivenRowsClassifier(['a', 'b'], 0);
  assert.equal(c.embeddingDim, 2);
  const e = await embedImages(c, givenRows(logits, null, 0, 2));
  assert.ok(e.embeddings);
  assert.deepEqual(rounded(e.logits), rounded(logits));
});

test('rows of the wrong width are refused', async () => {
  await assert.rejects(
    embedImages(new GivenRowsClassifier(['a', 'b'], 3), givenRows(logits, features, 2, 2)),
    /expected \[n, 3 \+ 2\]/,
  );
});
