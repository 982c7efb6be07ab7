// The head on feature rows: learns a separable toy problem, is the same model for the same
// seed, and its checkpoint round-trips and refuses another backbone's features.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { tf } from '../../src/main/engine/model/tf.js';
import { trainHead, type HeadOptions } from '../../src/main/engine/model/head.js';
import { headTrainGraph } from '../../src/main/engine/model/head-runner.js';
import { HeadClassifier } from '../../src/main/engine/model/head-model.js';
import { loadHeadCheckpoint, saveHeadCheckpoint } from '../../src/main/engine/model/head-checkpoint.js';
import { photoRecipe } from '../../src/main/engine/model/backbone.js';
import { makeRng } from '../../src/main/engine/model/rng.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);

/** Three classes of 24-d rows: class k has its own centre, plus noise; a few unit-wide clusters. */
function toy(n: number, seed: number): { features: Float32Array; labels: Int32Array } {
  const dim = 24;
  const rng = makeRng(seed);
  const features = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    labels[i] = k;
    for (let j = 0; j < dim; j++) features[i * dim + j] = (j % 3 === k ? 2 : 0) + (rng() - 0.5) * 1.5 + 5;
  }
  return { features, labels };
}

const opts: HeadOptions = { epochs: 8, seed: 7, hidden: 16, dropout: 0.2, batch: 32, lr: 0.01, weightDecay: 1e-4 };
const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

function predict(model: HeadClassifier, x: Float32Array, dim: number): { logits: Float32Array; feats: Float32Array } {
  return tf.tidy(() => {
    const out = model.forward(tf.tensor2d(x, [x.length / dim, dim]));
    return { logits: out.logits.dataSync() as Float32Array, feats: out.features.dataSync() as Float32Array };
  });
}

function accuracy(logits: Float32Array, labels: Int32Array, C: number): number {
  let hit = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = logits.subarray(i * C, (i + 1) * C);
    if (row.indexOf(Math.max(...row)) === labels[i]) hit++;
  }
  return hit / labels.length;
}

test('learns a separable problem, deterministically for a seed', async () => {
  const train = toy(600, 1);
  const test_ = toy(300, 2);
  const data = { features: train.features, dim: 24, indices: range(600), labels: train.labels, numClasses: 3 };
  const progress: number[] = [];
  const a = new HeadClassifier(
    await trainHead(data, opts, (p) => progress.push(p.fraction)),
    ['a', 'b', 'c'],
    'hidden',
  );
  const b = new HeadClassifier(await trainHead(data, opts), ['a', 'b', 'c'], 'hidden');
  const c = new HeadClassifier(await trainHead(data, { ...opts, seed: 8 }), ['a', 'b', 'c'], 'hidden');
  try {
    assert.equal(progress.length, opts.epochs);
    assert.equal(progress.at(-1), 1);
    const pa = predict(a, test_.features, 24);
    assert.ok(accuracy(pa.logits, test_.labels, 3) >= 0.95, `accuracy ${accuracy(pa.logits, test_.labels, 3)}`);
    assert.equal(pa.feats.length, 300 * 16);
    assert.deepEqual(predict(b, test_.features, 24).logits, pa.logits);
    assert.notDeepEqual(predict(c, test_.features, 24).logits, pa.logits);
    const mc = tf.tidy(() => a.mcLogits(tf.tensor2d(pa.feats.subarray(0, 5 * 16), [5, 16])).shape);
    assert.deepEqual(mc, [5, a.mcPasses! * 3]);
  } finally {
    for (const m of [a, b, c]) m.dispose();
  }
});

test('input embedding gives the rows themselves; bad data is refused', async () => {
  const train = toy(90, 3);
  const data = { features: train.features, dim: 24, indices: range(90), labels: train.labels, numClasses: 3 };
  const m = new HeadClassifier(await trainHead(data, { ...opts, epochs: 1 }), ['a', 'b', 'c'], 'input');
  try {
    assert.equal(m.embeddingDim, 24);
    assert.deepEqual(predict(m, train.features.subarray(0, 48), 24).feats, train.features.subarray(0, 48));
    assert.throws(() => tf.tidy(() => m.forward(tf.zeros([2, 5]) as tf.Tensor2D)), /expects feature rows \[n, 24\]/);
    // Leading columns only (the final block without appended taps): no MC passes then.
    const part = new HeadClassifier(m.head, ['a', 'b', 'c'], 'input', 10);
    assert.equal(part.embeddingDim, 10);
    assert.equal(part.mcPasses, undefined);
    const f = predict(part, train.features.subarray(0, 48), 24).feats;
    assert.deepEqual(f, Float32Array.from([...train.features.subarray(0, 10), ...train.features.subarray(24, 34)]));
    assert.throws(
      () => new HeadClassifier(m.head, ['a', 'b', 'c'], 'input', 25),
      /inputCols 25 must be an integer 1\.\.24/,
    );
  } finally {
    m.dispose();
  }
  await assert.rejects(trainHead({ ...data, labels: new Int32Array(90).fill(3) }, opts), /labels: entry 0 is 3/);
  await assert.rejects(
    trainHead({ ...data, indices: Int32Array.of(0, 90), labels: Int32Array.of(0, 1) }, opts),
    /entry 1 is 90/,
  );
});

test('checkpoint round trip predicts identically; another backbone id is refused', async () => {
  const train = toy(300, 4);
  const data = { features: train.features, dim: 24, indices: range(300), labels: train.labels, numClasses: 3 };
  const model = new HeadClassifier(await trainHead(data, opts), ['cat', 'dog', 'fox'], 'hidden');
  const dir = path.join(tmp.dir, 'head');
  const recipe = photoRecipe(160);
  await saveHeadCheckpoint(dir, model, { backboneId: 'bb-A', recipe, options: opts, dataHash: 'h1' });
  assert.deepEqual(readdirSync(dir).sort(), ['.unsure-model', 'model.json', 'weights.bin']);
  const loaded = await loadHeadCheckpoint(dir, 'bb-A');
  try {
    assert.deepEqual(loaded.model.classes, ['cat', 'dog', 'fox']);
    assert.deepEqual(loaded.provenance.recipe, recipe);
    assert.deepEqual(loaded.provenance.options, opts);
    assert.equal(loaded.provenance.embedding, 'hidden');
    assert.equal(loaded.model.mcPasses, model.mcPasses);
    const a = predict(model, train.features, 24);
    const b = predict(loaded.model, train.features, 24);
    assert.deepEqual(b.logits, a.logits);
    assert.deepEqual(b.feats, a.feats);
  } finally {
    loaded.model.dispose();
    model.dispose();
  }
  await assert.rejects(loadHeadCheckpoint(dir, 'bb-B'), /trained on backbone "bb-A", not "bb-B"; retrain/);
});

test("members: logits are the mean of the members' own, each member its own model; saved and loaded as one head", async () => {
  const train = toy(300, 5);
  const data = { features: train.features, dim: 24, indices: range(300), labels: train.labels, numClasses: 3 };
  const head = await trainHead(data, { ...opts, members: 3 });
  const model = new HeadClassifier(head, ['cat', 'dog', 'fox'], 'hidden');
  try {
    assert.equal(head.width, 48);
    assert.equal(model.embeddingDim, 48);
    const x = train.features.subarray(0, 20 * 24);
    const [mean, each] = tf.tidy(() => {
      const pre = head.hiddenPre(tf.tensor2d(x, [20, 24]));
      return [head.logitsFrom(pre).dataSync() as Float32Array, head.memberLogits(pre).arraySync()];
    });
    for (let i = 0; i < 20; i++)
      for (let c = 0; c < 3; c++) {
        const m = (each[0]![i]![c]! + each[1]![i]![c]! + each[2]![i]![c]!) / 3;
        assert.ok(Math.abs(mean[i * 3 + c]! - m) < 1e-4, `row ${i} class ${c}: ${mean[i * 3 + c]} vs ${m}`);
      }
    // Members start from their own draws, so they disagree somewhere.
    assert.notDeepEqual(each[0], each[1]);
    assert.ok(accuracy(predict(model, toy(150, 6).features, 24).logits, toy(150, 6).labels, 3) > 0.9);
    const dir = path.join(tmp.dir, 'head-members');
    await saveHeadCheckpoint(dir, model, { backboneId: 'bb-A', recipe: photoRecipe(128), options: opts });
    const loaded = await loadHeadCheckpoint(dir, 'bb-A');
    try {
      assert.equal(loaded.model.head.members, 3);
      assert.deepEqual(predict(loaded.model, x, 24).logits, predict(model, x, 24).logits);
      // MC dropout runs over the whole hidden layer of every member.
      const mc = tf.tidy(() => loaded.model.mcLogits(loaded.model.forward(tf.tensor2d(x, [20, 24])).features).shape);
      assert.deepEqual(mc, [20, loaded.model.mcPasses! * 3]);
    } finally {
      loaded.model.dispose();
    }
  } finally {
    model.dispose();
  }
  await assert.rejects(trainHead(data, { ...opts, members: 0 }), /members 0 must be an integer >= 1/);
});

test("the training graph's head is the tfjs ops' head: the same draws, the same weights to rounding", async () => {
  assert.ok(await headTrainGraph(), 'resources/graphs/head-train did not load');
  const train = toy(600, 4);
  const test_ = toy(300, 5);
  const data = { features: train.features, dim: 24, indices: range(600), labels: train.labels, numClasses: 3 };
  const views = [train.features.map((v) => v + 0.1)];
  for (const extra of [
    {},
    { members: 3, labelSmoothing: 0.1, weightDecay: 0.05 },
    // Five steps a call for the graph, an epoch (19 steps) for the ops; and two views of the rows.
    { chunkValues: 32 * 24 * 5, views },
  ]) {
    const { views: v, chunkValues, ...rest } = extra as Partial<HeadOptions> & { views?: Float32Array[] };
    const o = { ...opts, ...rest };
    const d = v ? { ...data, views: v } : data;
    const before = tf.memory().numTensors;
    const g = new HeadClassifier(await trainHead(d, { ...o, chunkValues, runner: 'graph' }), ['a', 'b', 'c'], 'hidden');
    const e = new HeadClassifier(await trainHead(d, { ...o, runner: 'eager' }), ['a', 'b', 'c'], 'hidden');
    try {
      const pg = predict(g, test_.features, 24).logits;
      const pe = predict(e, test_.features, 24).logits;
      let diff = 0;
      let size = 0;
      for (let i = 0; i < pg.length; i++) {
        diff = Math.max(diff, Math.abs(pg[i]! - pe[i]!));
        size = Math.max(size, Math.abs(pe[i]!));
      }
      assert.ok(size > 1, `the logits are too small to compare (${size})`);
      assert.ok(
        diff < 1e-3 * size,
        `graph and ops differ by ${diff} in logits up to ${size} (${JSON.stringify(extra)})`,
      );
    } finally {
      g.dispose();
      e.dispose();
    }
    assert.equal(tf.memory().numTensors, before, 'tensors left behind');
  }
});
