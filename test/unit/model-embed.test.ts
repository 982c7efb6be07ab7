// Feature extraction: unit-norm embeddings, logits equal to a plain forward pass, and the
// batching (with its padded last batch) invisible in the results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tf } from '../../src/main/engine/model/tf.js';
import { Cnn, CnnClassifier, EMBEDDING_DIM, pixelsToTensor } from '../../src/main/engine/model/cnn.js';
import { embedImages } from '../../src/main/engine/embeddings/embed.js';
import { DIGITS, mnistArrays } from './model-fixtures.js';

const probe = mnistArrays('test', 0, 250);

test('embeddings are unit-norm and logits match a direct forward pass, whatever the batch size', async () => {
  const model = new CnnClassifier(Cnn.create(10, 5), DIGITS);
  try {
    const big = await embedImages(model, probe.pixels, { batchSize: 1024 });
    const small = await embedImages(model, probe.pixels, { batchSize: 64 });
    assert.equal(big.n, 250);
    assert.equal(big.dim, EMBEDDING_DIM);
    for (let i = 0; i < big.n; i++) {
      let ss = 0;
      for (let j = 0; j < big.dim; j++) ss += big.embeddings![i * big.dim + j]! ** 2;
      assert.ok(Math.abs(Math.sqrt(ss) - 1) < 1e-4, `row ${i} has norm ${Math.sqrt(ss)}`);
    }
    const direct = tf.tidy(() => model.forward(pixelsToTensor(probe.pixels, 250)).logits.dataSync() as Float32Array);
    for (let i = 0; i < direct.length; i++) {
      assert.ok(Math.abs(direct[i]! - big.logits[i]!) < 1e-4, `logit ${i}: ${direct[i]} vs ${big.logits[i]}`);
      assert.ok(Math.abs(small.logits[i]! - big.logits[i]!) < 1e-4);
    }
  } finally {
    model.dispose();
  }
});

test('a subset of images is embedded by index', async () => {
  const model = new CnnClassifier(Cnn.create(10, 5), DIGITS);
  try {
    const all = await embedImages(model, probe.pixels);
    const some = await embedImages(model, probe.pixels, { indices: [7, 3, 249] });
    assert.equal(some.n, 3);
    [7, 3, 249].forEach((src, r) => {
      for (let c = 0; c < 10; c++) assert.ok(Math.abs(some.logits[r * 10 + c]! - all.logits[src * 10 + c]!) < 1e-4);
    });
  } finally {
    model.dispose();
  }
});
