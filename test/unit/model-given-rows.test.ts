// Given predictions through the pipeline's own embedding step (real tfjs): the pass-through
// classifier gives back exactly the log-probabilities and features it was handed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embedImages } from '../../src/main/engine/embeddings/embed.js';
import { givenExtractedRows, givenRowsClassifier, givenRowsInputs } from '../../src/main/engine/model/given-rows.js';
import type { ExternalRows } from '../../src/main/engine/pipeline/external-rows.js';

const probs = [0.9, 0.1, 0.3, 0.7, 0.5, 0.5];
const rows = (features: boolean): ExternalRows => ({
  logits: Float32Array.from(probs, Math.log),
  features: features ? Float32Array.from([3, 4, 0, 2, 1, 1]) : null,
  dim: features ? 2 : 0,
  classes: ['a', 'b'],
  notes: [],
});

test('embedImages on given rows returns their logits and (unit-norm) features', async () => {
  const r = rows(true);
  const e = await embedImages(givenRowsClassifier(r), givenRowsInputs(r), { batchSize: 2 });
  assert.deepEqual(
    [...e.logits].map((v) => +v.toFixed(5)),
    probs.map((p) => +Math.log(p).toFixed(5)),
  );
  assert.ok(e.embeddings);
  // Row 0's features (3, 4) have norm 5.
  assert.deepEqual(
    [...e.embeddings.subarray(0, 2)].map((v) => +v.toFixed(5)),
    [0.6, 0.8],
  );
});

test('without features, the classifier has none and ExtractedRows lets the logits stand in', async () => {
  const r = rows(false);
  const c = givenRowsClassifier(r);
  assert.equal(c.embeddingDim, 0);
  const e = await embedImages(c, givenRowsInputs(r));
  assert.equal(e.embeddings, null);
  const x = givenExtractedRows(r);
  assert.equal(x.dim, 2);
  assert.equal(x.features, r.logits);
  assert.equal(givenExtractedRows(rows(true)).dim, 2);
});
