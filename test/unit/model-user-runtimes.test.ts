// The runtimes of a user's model beyond the fixtures: a tfjs Layers model that fixes its
// batch size (run in batches of it, the last padded) and a tfjs graph model.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tf } from '../../src/main/engine/model/tf.js';
import { runBatches } from '../../src/main/engine/model/user/batches.js';
import { loadUserExtractor } from '../../src/main/engine/model/user/load.js';
import { inputGeometry } from '../../src/main/engine/model/user/network.js';
import { scaleTables } from '../../src/main/engine/model/user/pixels.js';
import { recipeFor } from '../../src/main/engine/model/user/preprocess.js';
import { loadLayersNetwork } from '../../src/main/engine/model/user/tfjs-network.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir('unsure-user-runtimes-');
after(tmp.cleanup);

test('a model that fixes its batch size runs in batches of it, the last one padded', async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ batchInputShape: [3, 8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
  });
  const dir = path.join(tmp.dir, 'fixed-batch');
  await model.save(pathToFileURL(dir).href);
  const net = await loadLayersNetwork(path.join(dir, 'model.json'));
  try {
    const g = inputGeometry(net.input.dims, net.preferredLayout, 'm');
    assert.equal(g.batch, 3);
    const { recipe } = recipeFor(dir, '', { height: 8, width: 8, channels: 3 }, null, { rescale_factor: 1 / 255 });
    // The real network, watched: which batch shapes it is given.
    const seen: number[][] = [];
    const watched = { ...net, run: (x: Float32Array, dims: number[]) => (seen.push(dims), net.run(x, dims)) };
    const pixels = Uint8Array.from({ length: 5 * 192 }, (_, i) => (i * 13) % 256);
    const out = await runBatches(watched, g, recipe, pixels, 5, scaleTables(recipe));
    assert.deepEqual(seen, [
      [3, 8, 8, 3],
      [3, 8, 8, 3],
    ]);
    const logits = out.get('logits')!;
    assert.equal(logits.length, 10);
    const x = new Float32Array(6 * 192);
    x.set(Float32Array.from(pixels, (v) => v / 255));
    const want = tf.tidy(() => (model.predict(tf.tensor4d(x, [6, 8, 8, 3])) as tf.Tensor).dataSync().subarray(0, 10));
    want.forEach((v, i) => assert.ok(Math.abs(v - logits[i]!) < 1e-5, `logit ${i}`));
  } finally {
    net.dispose();
  }
});

test('a tfjs graph model (model.json of format graph-model) runs, its output found by name', async () => {
  // A hand-written graph: image [?, 4, 4, 3] -> reshape [?, 48] -> matmul -> 'logits' [?, 2].
  const dir = path.join(tmp.dir, 'graph');
  mkdirSync(dir, { recursive: true });
  const w = Float32Array.from({ length: 48 * 2 }, (_, i) => ((i * 7) % 11) / 11 - 0.5);
  const shape = Int32Array.from([-1, 48]);
  writeFileSync(path.join(dir, 'weights.bin'), Buffer.concat([Buffer.from(shape.buffer), Buffer.from(w.buffer)]));
  const dim = (sizes: number[]) => ({ dim: sizes.map((s) => ({ size: String(s) })) });
  const graph = {
    format: 'graph-model',
    modelTopology: {
      node: [
        {
          name: 'image',
          op: 'Placeholder',
          attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dim([-1, 4, 4, 3]) } },
        },
        {
          name: 'flat_shape',
          op: 'Const',
          attr: { dtype: { type: 'DT_INT32' }, value: { tensor: { dtype: 'DT_INT32', tensorShape: dim([2]) } } },
        },
        {
          name: 'w',
          op: 'Const',
          attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dim([48, 2]) } } },
        },
        { name: 'flat', op: 'Reshape', input: ['image', 'flat_shape'], attr: { T: { type: 'DT_FLOAT' } } },
        { name: 'logits', op: 'MatMul', input: ['flat', 'w'], attr: { T: { type: 'DT_FLOAT' } } },
      ],
      versions: { producer: 1 },
    },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'flat_shape', shape: [2], dtype: 'int32' },
          { name: 'w', shape: [48, 2], dtype: 'float32' },
        ],
      },
    ],
  };
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify(graph));
  const m = await loadUserExtractor(dir, {
    fallbackClasses: ['a', 'b'],
    preprocess: { size: 4, rescale_factor: 1 / 255 },
  });
  try {
    assert.equal(m.format, 'graph');
    assert.deepEqual(m.recipe.input, { height: 4, width: 4, channels: 3 });
    assert.equal(m.featureDim, 0);
    const pixels = Uint8Array.from({ length: 2 * 48 }, (_, i) => (i * 29) % 256);
    const out = await m.run(pixels, 2);
    for (let r = 0; r < 2; r++)
      for (let c = 0; c < 2; c++) {
        let want = 0;
        for (let k = 0; k < 48; k++) want += (pixels[r * 48 + k]! / 255) * w[k * 2 + c]!;
        assert.ok(Math.abs(out.logits![r * 2 + c]! - want) < 1e-5, `row ${r} class ${c}`);
      }
  } finally {
    m.dispose();
  }
});

test('an Unsure checkpoint is an extractor too: the digits recipe, its own logits and features', async () => {
  const { Cnn, CnnClassifier } = await import('../../src/main/engine/model/cnn.js');
  const { saveCheckpoint } = await import('../../src/main/engine/model/checkpoint.js');
  const model = new CnnClassifier(Cnn.create(2, 1), ['a', 'b']);
  const dir = path.join(tmp.dir, 'ck');
  await saveCheckpoint(dir, model, { modelVersion: 'v1', dataHash: 'h', seed: 1, options: { epochs: 1, seed: 1 } });
  const m = await loadUserExtractor(dir, { fallbackClasses: [] });
  try {
    assert.equal(m.format, 'unsure');
    assert.deepEqual(m.classes, ['a', 'b']);
    assert.equal(m.recipe.digitLook, true);
    const pixels = Uint8Array.from({ length: 3 * 784 }, (_, i) => (i * 31) % 256);
    const out = await m.run(pixels, 3);
    const want = tf.tidy(() => {
      const f = model.forward(
        tf.tensor4d(
          Float32Array.from(pixels, (v) => v / 255),
          [3, 28, 28, 1],
        ),
      );
      return { logits: f.logits.dataSync(), features: f.features!.dataSync() };
    });
    assert.equal(out.features!.length, 3 * m.featureDim);
    want.logits.forEach((v, i) => assert.ok(Math.abs(v - out.logits![i]!) < 1e-6));
    want.features.forEach((v, i) => assert.ok(Math.abs(v - out.features![i]!) < 1e-6));
  } finally {
    m.dispose();
    model.dispose();
  }
});

test('a Layers model that starts by rescaling takes bytes as they are, with no declaration', async () => {
  const net = tf.sequential({
    layers: [
      tf.layers.rescaling({ scale: 1 / 255, inputShape: [16, 16, 3] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  const dir = path.join(tmp.dir, 'rescaling');
  await net.save(pathToFileURL(dir).href);
  const m = await loadUserExtractor(dir, { fallbackClasses: ['a', 'b', 'c'] });
  try {
    assert.equal(m.recipe.rescale, 1);
    assert.equal(m.recipe.digitLook, false);
    assert.deepEqual(m.recipe.input, { height: 16, width: 16, channels: 3 });
    assert.ok(
      m.notes.some((n) => n.includes('rescales its own input')),
      m.notes.join('; '),
    );
    const pixels = Uint8Array.from({ length: 2 * 768 }, (_, i) => (i * 53) % 256);
    const out = await m.run(pixels, 2);
    const want = tf.tidy(() =>
      (net.predict(tf.tensor4d(Float32Array.from(pixels), [2, 16, 16, 3])) as tf.Tensor).dataSync(),
    );
    // The final Dense's logits, recomputed: softmax gives the model's own probabilities.
    for (let r = 0; r < 2; r++) {
      const z = Array.from(out.logits!.subarray(r * 3, r * 3 + 3));
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      const s = e.reduce((a, b) => a + b, 0);
      e.forEach((v, j) => assert.ok(Math.abs(v / s - want[r * 3 + j]!) < 1e-5, `row ${r} class ${j}`));
    }
  } finally {
    m.dispose();
    net.dispose();
  }
});
