// Checkpoints: a save/load round trip predicts identically, the folder appears atomically,
// a damaged checkpoint is refused, and modelVersion follows its inputs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { computeModelVersion, loadCheckpoint, saveCheckpoint } from '../../src/main/engine/model/checkpoint.js';
import { CnnClassifier } from '../../src/main/engine/model/cnn.js';
import { trainCnn } from '../../src/main/engine/model/train.js';
import { embedImages } from '../../src/main/engine/embeddings/embed.js';
import { DIGITS, mnistArrays, range, tempDir } from './model-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);
const train = mnistArrays('train', 0, 1000);
const probe = mnistArrays('test', 0, 300);

test('save then load gives identical predictions and keeps classes and provenance', async () => {
  const cnn = await trainCnn(
    { pixels: train.pixels, indices: range(1000), labels: train.labels, numClasses: 10 },
    { epochs: 1, seed: 3 },
  );
  const model = new CnnClassifier(cnn, DIGITS);
  const dir = path.join(tmp.dir, 'ck');
  const options = { epochs: 1, seed: 3 };
  await saveCheckpoint(dir, model, { modelVersion: 'v1', dataHash: 'abc', seed: 3, options, heldOutAccuracy: 0.9 });
  // Nothing but the final folder is left behind.
  assert.deepEqual(readdirSync(tmp.dir), ['ck']);
  // The hidden marker says Unsure made the folder, so a later save may replace it.
  assert.deepEqual(readdirSync(dir).sort(), ['.unsure-model', 'model.json', 'weights.bin']);
  const loaded = await loadCheckpoint(dir);
  try {
    assert.deepEqual(loaded.model.classes, DIGITS);
    assert.equal(loaded.provenance.modelVersion, 'v1');
    assert.equal(loaded.provenance.dataHash, 'abc');
    assert.deepEqual(loaded.provenance.options, options);
    assert.match(loaded.provenance.libtensorflow, /^\d+\.\d+/);
    const a = await embedImages(model, probe.pixels);
    const b = await embedImages(loaded.model, probe.pixels);
    assert.deepEqual(b.logits, a.logits);
    assert.deepEqual(b.embeddings, a.embeddings);
    // Saving again over an existing checkpoint replaces it.
    await saveCheckpoint(dir, model, { modelVersion: 'v2', dataHash: 'abc', seed: 3, options });
    assert.equal((await loadCheckpoint(dir)).provenance.modelVersion, 'v2');
  } finally {
    model.dispose();
    loaded.model.dispose();
  }
});

test('a truncated weights file or a foreign model.json is refused with the file named', async () => {
  const dir = path.join(tmp.dir, 'ck');
  const bin = path.join(dir, 'weights.bin');
  const bytes = readFileSync(bin);
  writeFileSync(bin, bytes.subarray(0, bytes.length - 400));
  await assert.rejects(loadCheckpoint(dir), (e: Error) => e.message.includes('weights.bin'));
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'something-else' }));
  await assert.rejects(loadCheckpoint(dir), /not an Unsure checkpoint/);
  await assert.rejects(loadCheckpoint(path.join(tmp.dir, 'missing')), /model\.json/);
});

test('modelVersion changes with data, classes, seed and options, and only with them', () => {
  const base = computeModelVersion('d1', DIGITS, 1, { epochs: 3, seed: 1 });
  assert.equal(computeModelVersion('d1', DIGITS, 1, { seed: 1, epochs: 3 }), base);
  assert.notEqual(computeModelVersion('d2', DIGITS, 1, { epochs: 3, seed: 1 }), base);
  assert.notEqual(computeModelVersion('d1', [...DIGITS, 'other'], 1, { epochs: 3, seed: 1 }), base);
  assert.notEqual(computeModelVersion('d1', DIGITS, 2, { epochs: 3, seed: 2 }), base);
  assert.notEqual(computeModelVersion('d1', DIGITS, 1, { epochs: 4, seed: 1 }), base);
});
