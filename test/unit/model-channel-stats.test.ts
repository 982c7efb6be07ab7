// The first conv layer's channel statistics: per channel the mean and the (population)
// standard deviation over positions, checked against hand-computed values, and what the
// CNN and embedImages give for real MNIST digits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tf } from '../../src/main/engine/model/tf.js';
import { channelStats } from '../../src/main/engine/model/channel-stats.js';
import { Cnn, CnnClassifier, LOW_LEVEL_DIM, pixelsToTensor } from '../../src/main/engine/model/cnn.js';
import { embedImages } from '../../src/main/engine/embeddings/embed.js';
import { DIGITS, mnistArrays } from './model-fixtures.js';

test('means then standard deviations of every channel over all positions', () => {
  // Two images, 2x2 positions, 2 channels. Image 0: channel 0 = 1,2,3,4; channel 1 = 5,5,5,5.
  // Image 1: channel 0 = 0,0,0,8; channel 1 = -1,1,-1,1.
  const values = [
    [1, 5, 2, 5, 3, 5, 4, 5],
    [0, -1, 0, 1, 0, -1, 8, 1],
  ].flat();
  const got = tf.tidy(() => channelStats(tf.tensor4d(values, [2, 2, 2, 2])).arraySync());
  const want = [
    [2.5, 5, Math.sqrt(1.25), 0],
    [2, 0, Math.sqrt(12), 1],
  ];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 4; j++)
      assert.ok(Math.abs(got[i]![j]! - want[i]![j]!) < 1e-5, `[${i}][${j}] ${got[i]![j]} vs ${want[i]![j]}`);
});

test('the CNN gives the statistics of its first ReLU conv layer, and embedImages keeps them per row', async () => {
  const probe = mnistArrays('test', 0, 70);
  const model = new CnnClassifier(Cnn.create(10, 3), DIGITS);
  try {
    assert.equal(model.lowLevelDim, LOW_LEVEL_DIM);
    // Reference computed here from the weights, outside the model's own forward pass.
    const h1 = tf.tidy(() => {
      const w = model.cnn.weights;
      return tf
        .relu(tf.add(tf.conv2d(pixelsToTensor(probe.pixels, 70), w.conv1W as tf.Tensor4D, 2, 'same'), w.conv1B))
        .arraySync() as number[][][][];
    });
    const C = LOW_LEVEL_DIM / 2;
    const a = await embedImages(model, probe.pixels, { batchSize: 1024 });
    const b = await embedImages(model, probe.pixels, { batchSize: 16 });
    assert.equal(a.lowLevelDim, LOW_LEVEL_DIM);
    assert.equal(a.lowLevel!.length, 70 * LOW_LEVEL_DIM);
    for (const i of [0, 33, 69]) {
      for (let c = 0; c < C; c++) {
        const v = h1[i]!.flat().map((px) => px[c]!);
        const mean = v.reduce((s, x) => s + x, 0) / v.length;
        const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
        const got = a.lowLevel!.subarray(i * LOW_LEVEL_DIM, (i + 1) * LOW_LEVEL_DIM);
        assert.ok(Math.abs(got[c]! - mean) < 1e-4, `image ${i} channel ${c} mean ${got[c]} vs ${mean}`);
        assert.ok(Math.abs(got[C + c]! - sd) < 1e-4, `image ${i} channel ${c} std ${got[C + c]} vs ${sd}`);
      }
    }
    for (let j = 0; j < a.lowLevel!.length; j++) assert.ok(Math.abs(a.lowLevel![j]! - b.lowLevel![j]!) < 1e-5);
    // A model that gives no statistics (a user's model) gets none back, and no error.
    const bare = {
      classes: DIGITS,
      embeddingDim: 128,
      forward: (x: tf.Tensor4D) => model.cnn.forward(x),
      dispose() {},
    };
    const none = await embedImages(
      { ...bare, forward: (x) => ({ ...bare.forward(x as tf.Tensor4D), lowLevel: null }) },
      probe.pixels,
    );
    assert.equal(none.lowLevel, null);
    assert.equal(none.lowLevelDim, 0);
  } finally {
    model.dispose();
  }
});
