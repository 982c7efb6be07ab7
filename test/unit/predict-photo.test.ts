// Single-image prediction with a head: the photo is decoded with the shipped backbone's
// recipe, run through the real backbone, then the head (the same probabilities as doing each
// step by hand); a head from another backbone and a file that is not an image are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { loadBackbone } from '../../src/main/engine/model/backbone.js';
import { HeadClassifier, HeadModel } from '../../src/main/engine/model/head-model.js';
import { decodePhoto, photoTargetOf } from '../../src/main/engine/datasets/photo-sharp.js';
import { predictImage, type CurrentModel } from '../../src/main/engine/pipeline/current-model.js';
import { tf } from '../../src/main/engine/model/tf.js';
import { DEFAULT_INPUT_LIMITS } from '../../src/main/engine/types.js';

test('a head predicts a colour photo through the backbone it was trained on', async () => {
  const backbone = await loadBackbone();
  const dim = backbone.featureDim;
  const source = { id: backbone.id, recipe: backbone.recipe };
  const hidden = 8;
  const head = new HeadModel(dim, hidden, 3, 0, {
    mean: new Float32Array(dim),
    std: new Float32Array(dim).fill(1),
    w1: Float32Array.from({ length: dim * hidden }, (_, i) => Math.sin(i) * 0.2),
    b1: new Float32Array(hidden),
    w2: Float32Array.from({ length: hidden * 3 }, (_, i) => Math.cos(i)),
    b2: new Float32Array(3),
  });
  const classifier = new HeadClassifier(head, ['a', 'b', 'c'], 'hidden');
  const m: CurrentModel = {
    classifier,
    classes: ['a', 'b', 'c'],
    modelVersion: 'head-test',
    trainIndices: new Int32Array(0),
    heldOutIndices: new Int32Array(0),
    heldOutAccuracy: 0,
    cached: false,
    source: 'trained',
    labels: [],
  };
  // A 50 x 30 photo: orange left half, teal right half.
  const raw = Buffer.alloc(50 * 30 * 3);
  for (let p = 0; p < 50 * 30; p++) raw.set(p % 50 < 25 ? [240, 140, 20] : [20, 160, 150], p * 3);
  const jpeg = new Uint8Array(
    await sharp(raw, { raw: { width: 50, height: 30, channels: 3 } })
      .jpeg()
      .toBuffer(),
  );
  try {
    const got = await predictImage(m, jpeg, 2, source);
    // By hand: decode with the recipe, the backbone's features, the head at temperature 2.
    const decoded = await decodePhoto(jpeg, [photoTargetOf(backbone.recipe)], DEFAULT_INPUT_LIMITS.maxPixels);
    const { features } = await backbone.run(decoded.outputs[0]!, 1);
    const want = tf.tidy(() =>
      Array.from(tf.softmax(tf.div(classifier.forward(tf.tensor2d(features!, [1, dim])).logits, 2)).dataSync()),
    );
    assert.deepEqual(got.classes, ['a', 'b', 'c']);
    want.forEach((p, c) => assert.ok(Math.abs(got.probs[c]! - p) < 1e-5, `class ${c}: ${got.probs[c]} vs ${p}`));
    assert.equal(got.predicted, ['a', 'b', 'c'][want.indexOf(Math.max(...want))]);

    await assert.rejects(predictImage(m, jpeg, 1, { ...source, id: 'another-backbone' }), /another-backbone/);
    await assert.rejects(predictImage(m, jpeg, 1, null), /rowSource/);
    await assert.rejects(predictImage(m, new Uint8Array([1, 2, 3, 4]), 1, source), /Cannot decode the image/);
  } finally {
    classifier.dispose();
    backbone.dispose();
  }
});
