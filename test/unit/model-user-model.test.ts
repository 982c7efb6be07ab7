// A user's own tfjs Layers model scores like ours: logits recomputed under its softmax,
// features from the input of its final Dense layer; its class names come from classes.json.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tf } from '../../src/main/engine/model/tf.js';
import { loadUserModel } from '../../src/main/engine/model/user-model.js';
import { embedImages } from '../../src/main/engine/embeddings/embed.js';
import { canSampleDropout } from '../../src/main/engine/embeddings/mc-column.js';
import { mnistArrays, tempDir } from './model-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);
const probe = mnistArrays('test', 0, 50);

test('a saved tfjs Layers model loads with penultimate features and pre-softmax logits', async () => {
  const m = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  const dir = path.join(tmp.dir, 'layers');
  await m.save(pathToFileURL(dir).href);
  writeFileSync(path.join(dir, 'classes.json'), JSON.stringify(['cat', 'dog', 'eel']));
  const loaded = await loadUserModel(dir, ['unused']);
  try {
    assert.equal(loaded.kind, 'layers');
    assert.deepEqual(loaded.classifier.classes, ['cat', 'dog', 'eel']);
    assert.equal(loaded.classifier.embeddingDim, 32);
    // Its dropout (if any) is a black box: no MC-dropout passes, its column is NaN.
    assert.equal(canSampleDropout(loaded.classifier), false);
    const e = await embedImages(loaded.classifier, probe.pixels);
    const expected = tf
      .tidy(
        () =>
          m.predict(
            tf.tensor4d(
              Float32Array.from(probe.pixels, (v) => v / 255),
              [50, 28, 28, 1],
            ),
          ) as tf.Tensor,
      )
      .dataSync();
    const fromLogits = tf.tidy(() => tf.softmax(tf.tensor2d(e.logits, [50, 3])).dataSync());
    for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(expected[i]! - fromLogits[i]!) < 1e-4);
  } finally {
    loaded.classifier.dispose();
    m.dispose();
  }
});

test('a class list that does not match the outputs, or a folder with no model, is refused', async () => {
  const dir = path.join(tmp.dir, 'layers');
  writeFileSync(path.join(dir, 'classes.json'), JSON.stringify(['a', 'b']));
  await assert.rejects(loadUserModel(dir, []), /3 outputs but .*classes\.json names 2 classes/);
  await assert.rejects(loadUserModel(tmp.dir, []), /holds no model/);
  await assert.rejects(loadUserModel(path.join(tmp.dir, 'nope'), []), /not found/);
});

test('without a class list, an output count unlike the dataset class count is refused, naming both', async () => {
  const dir = path.join(tmp.dir, 'layers');
  const { rmSync } = await import('node:fs');
  rmSync(path.join(dir, 'classes.json'));
  const ten = Array.from({ length: 10 }, (_, i) => String(i));
  await assert.rejects(
    loadUserModel(dir, ten),
    /the model has 3 outputs, the dataset 10 classes: put a classes\.json beside the model/,
  );
  const loaded = await loadUserModel(dir, ['x', 'y', 'z']);
  assert.deepEqual(loaded.classifier.classes, ['x', 'y', 'z']);
  loaded.classifier.dispose();
});

test('classes are matched by name: labels the model does not know are named', async () => {
  const { classMismatch } = await import('../../src/main/engine/model/user-model.js');
  const digits = Array.from({ length: 10 }, (_, i) => String(i));
  assert.equal(classMismatch(digits, ['3', '1', null, 'other', '9']), null);
  const letters = classMismatch(digits, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', '1']);
  assert.match(letters ?? '', /does not know the dataset's classes 'a', 'b', .*'j' and 2 more/);
  assert.match(letters ?? '', /the model's classes: '0', '1'/);
  assert.match(classMismatch(['0', '1', '2'], ['0', '7']) ?? '', /class '7' /);
});
