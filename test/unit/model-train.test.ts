// The training loop on real MNIST: it learns, it is deterministic for a seed, it stops on
// cancel without leaking tensors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tf, backendInfo } from '../../src/main/engine/model/tf.js';
import { trainCnn, type TrainProgress } from '../../src/main/engine/model/train.js';
import { CnnClassifier } from '../../src/main/engine/model/cnn.js';
import { embedImages } from '../../src/main/engine/embeddings/embed.js';
import { DIGITS, mnistArrays, range } from './model-fixtures.js';

const train = mnistArrays('train', 0, 2000);
const test_ = mnistArrays('test', 0, 1000);
const data = { pixels: train.pixels, indices: range(2000), labels: train.labels, numClasses: 10 };

test("runs on the native 'tensorflow' backend", () => {
  assert.equal(backendInfo().backend, 'tensorflow');
});

for (const runner of ['graph', 'eager'] as const)
  test(`one epoch on 2,000 images lowers the loss and beats chance by far (${runner})`, async () => {
    const seen: TrainProgress[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const cnn = await trainCnn(data, { epochs: 1, seed: 1, runner }, (p) => seen.push(p));
    // Only the 8 weight variables outlive training.
    assert.equal(tf.memory().numTensors, tensorsBefore + 8);
    try {
      assert.ok(seen.length >= 3, `expected several progress reports, got ${seen.length}`);
      assert.ok(seen.at(-1)!.loss < seen[0]!.loss, `loss ${seen[0]!.loss} -> ${seen.at(-1)!.loss}`);
      assert.equal(seen.at(-1)!.fraction, 1);
      assert.ok(seen.every((p) => p.samplesPerSec > 0 && p.etaSec >= 0));
      const e = await embedImages(new CnnClassifier(cnn, DIGITS), test_.pixels);
      let correct = 0;
      for (let i = 0; i < e.n; i++) {
        const row = Array.from(e.logits.subarray(i * 10, i * 10 + 10));
        if (row.indexOf(Math.max(...row)) === test_.labels[i]) correct++;
      }
      // Chance is 10%; one short epoch on 2,000 images reaches ~85-90%.
      assert.ok(correct / e.n > 0.7, `test accuracy ${correct / e.n}`);
    } finally {
      cnn.dispose();
    }
  });

test('the same seed gives the same weights; another seed does not', async () => {
  const small = { ...data, indices: range(512), labels: train.labels.subarray(0, 512) };
  const a = await trainCnn(small, { epochs: 1, seed: 7 });
  const b = await trainCnn(small, { epochs: 1, seed: 7 });
  const c = await trainCnn(small, { epochs: 1, seed: 8 });
  try {
    const [wa, wb, wc] = await Promise.all([a.toArrays(), b.toArrays(), c.toArrays()]);
    assert.deepEqual(wa.fc2W, wb.fc2W);
    assert.notDeepEqual(wa.fc2W, wc.fc2W);
  } finally {
    a.dispose();
    b.dispose();
    c.dispose();
  }
});

test('an aborted training rejects with AbortError and frees its tensors', async () => {
  const before = tf.memory().numTensors;
  const ac = new AbortController();
  await assert.rejects(
    trainCnn(data, { epochs: 5, seed: 1 }, () => ac.abort(), ac.signal),
    (err: Error) => err.name === 'AbortError',
  );
  assert.equal(tf.memory().numTensors, before);
});

test('bad input is refused with a clear message', async () => {
  await assert.rejects(trainCnn({ ...data, indices: [], labels: [] }, { epochs: 1, seed: 1 }), /nothing to train on/);
  await assert.rejects(
    trainCnn({ ...data, labels: train.labels.subarray(0, 10) }, { epochs: 1, seed: 1 }),
    /differ in length/,
  );
  // These used to train on a blank image and on an all-zero target without a word.
  const images = train.pixels.length / 784;
  const two = { ...data, indices: [0, images], labels: [1, 2] };
  await assert.rejects(trainCnn(two, { epochs: 1, seed: 1 }), /training indices: entry 1 is \d+, not in 0\.\.\d+/);
  const badLabel = { ...data, indices: [0, 1], labels: [1, 10] };
  await assert.rejects(trainCnn(badLabel, { epochs: 1, seed: 1 }), /training labels: entry 1 is 10, not in 0\.\.9/);
});
