// MC-dropout passes of the CNN: seeded masks at the training rate, each pass equal to the
// last layer applied by hand to the masked features, the passes' mean logits converging on
// the deterministic forward pass (inverted dropout), and the column of any rows computed
// from the stored embeddings and feature norms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tf } from '../../src/main/engine/model/tf.js';
import { Cnn, CnnClassifier, CNN_DROPOUT, EMBEDDING_DIM, pixelsToTensor } from '../../src/main/engine/model/cnn.js';
import { dropoutMasks, mcDropoutLogits, MC_PASSES } from '../../src/main/engine/model/mc-dropout.js';
import { embedImages } from '../../src/main/engine/embeddings/embed.js';
import { canSampleDropout, mcColumnOf } from '../../src/main/engine/embeddings/mc-column.js';
import { mcDisagreement } from '../../src/main/engine/scores/mc-disagreement.js';
import type { Classifier } from '../../src/main/engine/model/classifier.js';
import { DIGITS, mnistArrays } from './model-fixtures.js';

const probe = mnistArrays('test', 0, 150);

test('masks are seeded, binary, and drop about the given rate', () => {
  const a = dropoutMasks(200, 128, 0.15, 7);
  assert.deepEqual(a, dropoutMasks(200, 128, 0.15, 7));
  assert.notDeepEqual(a, dropoutMasks(200, 128, 0.15, 8));
  assert.ok(a.every((v) => v === 0 || v === 1));
  const dropped = 1 - a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(Math.abs(dropped - 0.15) < 0.01, `dropped ${dropped}`);
  assert.throws(() => dropoutMasks(4, 128, 0), /rate must be in \(0, 1\)/);
  assert.throws(() => dropoutMasks(0, 128, 0.15), /passes must be >= 1/);
});

test('each pass is the last layer on the masked, rescaled features', () => {
  const cnn = Cnn.create(10, 3);
  try {
    const passes = 5;
    const masks = dropoutMasks(passes, EMBEDDING_DIM, 0.3, 11);
    const [feat, got, W, b] = tf.tidy(() => {
      const f = cnn.forward(pixelsToTensor(probe.pixels, 4)).features;
      const l = mcDropoutLogits(
        f,
        cnn.weights.fc2W as tf.Tensor2D,
        cnn.weights.fc2B as tf.Tensor1D,
        masks,
        passes,
        0.3,
      );
      return [f, l, cnn.weights.fc2W, cnn.weights.fc2B].map((t) => t.dataSync() as Float32Array);
    });
    assert.ok(got && b && feat && W, 'four arrays read back');
    assert.equal(got.length, 4 * passes * 10);
    for (let i = 0; i < 4; i++)
      for (let t = 0; t < passes; t++)
        for (let c = 0; c < 10; c++) {
          let z = b[c]!;
          for (let j = 0; j < EMBEDDING_DIM; j++)
            z += (Math.max(0, feat[i * EMBEDDING_DIM + j]!) * masks[t * EMBEDDING_DIM + j]! * W[j * 10 + c]!) / 0.7;
          const g = got[i * passes * 10 + t * 10 + c]!;
          assert.ok(Math.abs(g - z) < 1e-3 * (1 + Math.abs(z)), `row ${i} pass ${t} class ${c}: ${g} vs ${z}`);
        }
  } finally {
    cnn.dispose();
  }
});

test('averaged over many passes the logits are those of the deterministic forward pass', () => {
  const cnn = Cnn.create(10, 4);
  try {
    const passes = 4000;
    const masks = dropoutMasks(passes, EMBEDDING_DIM, CNN_DROPOUT, 5);
    const [mean, plain] = tf.tidy(() => {
      const out = cnn.forward(pixelsToTensor(probe.pixels, 3));
      const l = mcDropoutLogits(
        out.features,
        cnn.weights.fc2W as tf.Tensor2D,
        cnn.weights.fc2B as tf.Tensor1D,
        masks,
        passes,
        CNN_DROPOUT,
      );
      return [tf.mean(tf.reshape(l, [3, passes, 10]), 1).dataSync(), out.logits.dataSync()] as [
        Float32Array,
        Float32Array,
      ];
    });
    const scale = Math.max(...Array.from(plain, Math.abs));
    for (let i = 0; i < plain.length; i++)
      assert.ok(Math.abs(mean[i]! - plain[i]!) < 0.05 * scale, `logit ${i}: mean ${mean[i]} vs ${plain[i]}`);
  } finally {
    cnn.dispose();
  }
});

test('the column of chosen rows comes from the stored embeddings and norms, whatever the order', async () => {
  const model = new CnnClassifier(Cnn.create(10, 6), DIGITS);
  try {
    assert.equal(model.mcPasses, MC_PASSES);
    const e = await embedImages(model, probe.pixels, { batchSize: 64 });
    const n = 150;
    const dim = e.dim;
    assert.equal(e.featureNorms!.length, n);
    // The stored norms give the features back.
    const feats = tf.tidy(() => model.forward(pixelsToTensor(probe.pixels, n)).features.dataSync() as Float32Array);
    for (let i = 0; i < n * dim; i++) {
      const back = e.embeddings![i]! * e.featureNorms![Math.floor(i / dim)]!;
      assert.ok(Math.abs(back - feats[i]!) < 1e-4 * (1 + Math.abs(feats[i]!)), `value ${i}: ${back} vs ${feats[i]}`);
    }
    const all = new Float32Array(n).fill(Number.NaN);
    await mcColumnOf(
      model,
      e.embeddings!,
      e.featureNorms!,
      dim,
      Int32Array.from({ length: n }, (_, i) => i),
      all,
    );
    assert.ok(all.every((v) => v >= 0 && v < 1));
    assert.ok(
      all.some((v) => v > 0),
      'an untrained model disagrees with itself somewhere',
    );
    // A few rows, out of order: the same values, and the other rows untouched.
    const some = new Float32Array(n).fill(-1);
    await mcColumnOf(model, e.embeddings!, e.featureNorms!, dim, [149, 3, 70], some);
    for (const r of [149, 3, 70]) assert.equal(some[r], all[r]);
    assert.equal(some.filter((v) => v === -1).length, n - 3);
    // The same as the pure function on the passes' softmax of those features.
    const probs = tf.tidy(() => {
      const f = tf.tensor2d(
        Float32Array.from(e.embeddings!.subarray(0, 10 * dim), (v, i) => v * e.featureNorms![Math.floor(i / dim)]!),
        [10, dim],
      );
      return tf.softmax(tf.reshape(model.mcLogits(f), [10 * MC_PASSES, 10])).dataSync() as Float32Array;
    });
    const direct = mcDisagreement(probs, MC_PASSES, 10);
    for (let i = 0; i < 10; i++)
      assert.ok(Math.abs(direct[i]! - all[i]!) < 1e-6, `row ${i}: ${direct[i]} vs ${all[i]}`);
    // A model with no dropout to sample (as a user's model) has no column.
    const bare: Classifier = {
      classes: model.classes,
      embeddingDim: model.embeddingDim,
      forward: (x) => model.forward(x),
      dispose: () => {},
    };
    assert.equal(canSampleDropout(bare), false);
    assert.equal(canSampleDropout(model), true);
    await assert.rejects(mcColumnOf(bare, e.embeddings!, e.featureNorms!, dim, [0], all), /no dropout to sample/);
  } finally {
    model.dispose();
  }
});
