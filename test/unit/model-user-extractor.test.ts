// Users' own models at 32 x 32 x 3 through loadUserExtractor: a PyTorch CNN exported to ONNX
// (NCHW, and the same network NHWC), and a Keras SavedModel, each reproducing its own
// framework's probabilities and argmax on 8 CIFAR-10 images (test/fixtures, made by
// scripts/make-onnx-fixture.py and scripts/make-keras-cifar-fixture.py); the images are
// decoded by sharp as the returned recipe says. Then the errors a user meets.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { Recipe } from '../../src/shared/recipe.js';
import { tf } from '../../src/main/engine/model/tf.js';
import { loadUserExtractor } from '../../src/main/engine/model/user/load.js';
import { tempDir } from './model-fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.join(root, 'test', 'fixtures');
const tmp = tempDir('unsure-user-extractor-');
after(tmp.cleanup);

interface Expected {
  images: string[];
  probabilities: number[][];
  argmax: number[];
}
const expectedOf = (dir: string) =>
  JSON.parse(readFileSync(path.join(fixtures, dir, 'expected.json'), 'utf8')) as Expected;

/** The committed images decoded with the recipe: 32 x 32 files at a 32 x 32 recipe need no resize. */
async function decode(files: string[], r: Recipe): Promise<Uint8Array> {
  const per = r.input.height * r.input.width * r.input.channels;
  const out = new Uint8Array(files.length * per);
  for (const [i, f] of files.entries()) {
    const { data, info } = await sharp(path.join(fixtures, 'synthetic8', f))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.height, info.width, info.channels], [r.input.height, r.input.width, r.input.channels]);
    out.set(data, i * per);
  }
  return out;
}

function softmaxRows(logits: Float32Array, cols: number): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < logits.length / cols; r++) {
    const z = Array.from(logits.subarray(r * cols, (r + 1) * cols));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    rows.push(e.map((v) => v / s));
  }
  return rows;
}

const argmax = (row: number[]) => row.indexOf(Math.max(...row));

function assertReproduces(got: number[][], want: Expected, tol = 1e-4): void {
  assert.equal(got.length, want.probabilities.length);
  for (const [i, row] of got.entries()) {
    for (const [j, p] of row.entries())
      assert.ok(
        Math.abs(p - want.probabilities[i]![j]!) < tol,
        `image ${i} class ${j}: ${p} vs ${want.probabilities[i]![j]}`,
      );
    assert.equal(argmax(row), want.argmax[i], `argmax of image ${i}`);
  }
}

const CIFAR = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

test('a PyTorch CNN exported to ONNX (NCHW) reproduces its probabilities, with its preprocessing, classes and embedding', async () => {
  const want = expectedOf('onnx-cifar');
  const m = await loadUserExtractor(path.join(fixtures, 'onnx-cifar'), { fallbackClasses: [] });
  try {
    assert.equal(m.format, 'onnx');
    assert.deepEqual(m.classes, CIFAR);
    assert.deepEqual(m.recipe.input, { height: 32, width: 32, channels: 3 });
    assert.equal(m.recipe.name, 'model');
    assert.equal(m.recipe.digitLook, false);
    assert.deepEqual(m.recipe.mean, [0.4914, 0.4822, 0.4465]);
    assert.deepEqual(m.recipe.std, [0.247, 0.243, 0.261]);
    assert.ok(Math.abs(m.recipe.rescale - 1 / 255) < 1e-12);
    assert.equal(m.featureDim, 32);
    assert.ok(
      m.notes.some((n) => n.includes('(NCHW)')),
      m.notes.join('; '),
    );
    assert.ok(
      m.notes.some((n) => n.includes("features: output 'embedding'")),
      m.notes.join('; '),
    );
    const out = await m.run(await decode(want.images, m.recipe), want.images.length);
    assert.equal(out.features?.length, 8 * 32);
    assertReproduces(softmaxRows(out.logits!, 10), want);
  } finally {
    m.dispose();
  }
});

test('the same network taking NHWC, giving probabilities only: log-probabilities as logits, logits stand in for features', async () => {
  const want = expectedOf('onnx-cifar-nhwc');
  const m = await loadUserExtractor(path.join(fixtures, 'onnx-cifar-nhwc'), { fallbackClasses: [] });
  try {
    assert.deepEqual(m.classes, CIFAR, 'from config.json id2label');
    assert.equal(m.featureDim, 0);
    assert.ok(
      m.notes.some((n) => n.includes('(NHWC)')),
      m.notes.join('; '),
    );
    assert.ok(
      m.notes.some((n) => /logits stand in/.test(n)),
      m.notes.join('; '),
    );
    const pixels = await decode(want.images, m.recipe);
    const out = await m.run(pixels, want.images.length);
    assert.equal(out.features, null);
    assertReproduces(softmaxRows(out.logits!, 10), want);
    // One network, two layouts: the NCHW export's probabilities too.
    assertReproduces(softmaxRows(out.logits!, 10), expectedOf('onnx-cifar'));
    // Batches of any size: one image at a time gives the same rows.
    const one = await m.run(pixels.subarray(3 * 3072, 4 * 3072), 1);
    for (let j = 0; j < 10; j++) assert.ok(Math.abs(one.logits![j]! - out.logits![30 + j]!) < 1e-5);
  } finally {
    m.dispose();
  }
});

test('a Keras SavedModel taking NHWC reproduces TensorFlow, its scaling given as flags and its classes in labels.txt', async () => {
  const want = expectedOf('savedmodel-cifar');
  const m = await loadUserExtractor(path.join(fixtures, 'savedmodel-cifar'), {
    fallbackClasses: [],
    preprocess: { rescale_factor: 1 / 255, do_normalize: false },
  });
  try {
    assert.equal(m.format, 'savedmodel');
    assert.deepEqual(m.classes, CIFAR);
    assert.deepEqual(m.recipe.mean, [0, 0, 0]);
    assert.deepEqual(m.recipe.std, [1, 1, 1]);
    assert.ok(
      m.notes.some((n) => n.includes('the preprocessing flags')),
      m.notes.join('; '),
    );
    const out = await m.run(await decode(want.images, m.recipe), want.images.length);
    assertReproduces(softmaxRows(out.logits!, 10), want);
  } finally {
    m.dispose();
  }
});

test('without a preprocessing declaration, a 32 x 32 x 3 model is refused with what to declare', async () => {
  await assert.rejects(
    loadUserExtractor(path.join(fixtures, 'savedmodel-cifar'), { fallbackClasses: [] }),
    (err: Error) =>
      /cannot tell how the model's input \[\?, 32, 32, 3\] is scaled/.test(err.message) &&
      err.message.includes('preprocessor_config.json') &&
      err.message.includes('"rescale_factor"') &&
      err.message.includes('--rescale-factor') &&
      err.message.includes('--image-mean'),
  );
});

test('a class list of the wrong length, a corrupt .onnx and a folder with two models are refused, naming the file', async () => {
  const wrong = path.join(tmp.dir, 'wrong-classes');
  cpSync(path.join(fixtures, 'onnx-cifar'), wrong, { recursive: true });
  writeFileSync(path.join(wrong, 'classes.json'), JSON.stringify(['a', 'b', 'c']));
  await assert.rejects(
    loadUserExtractor(wrong, { fallbackClasses: [] }),
    /the model has 10 outputs but .*wrong-classes\/classes\.json names 3 classes/,
  );

  const corrupt = path.join(tmp.dir, 'corrupt');
  cpSync(path.join(fixtures, 'onnx-cifar'), corrupt, { recursive: true });
  const bytes = readFileSync(path.join(corrupt, 'model.onnx'));
  writeFileSync(path.join(corrupt, 'model.onnx'), bytes.subarray(0, bytes.length >> 1));
  await assert.rejects(
    loadUserExtractor(corrupt, { fallbackClasses: [] }),
    /corrupt\/model\.onnx: cannot load as an ONNX model/,
  );

  const two = path.join(tmp.dir, 'two');
  cpSync(path.join(fixtures, 'onnx-cifar'), two, { recursive: true });
  cpSync(path.join(fixtures, 'onnx-cifar', 'model.onnx'), path.join(two, 'other.onnx'));
  await assert.rejects(
    loadUserExtractor(two, { fallbackClasses: [] }),
    /two holds more than one model \(model\.onnx, other\.onnx\): keep one model per folder/,
  );

  await assert.rejects(
    loadUserExtractor(path.join(fixtures, 'onnx-cifar'), { fallbackClasses: [], preprocess: { size: 64 } }),
    /declares a 64 x 64 input but the model takes 32 x 32/,
  );
});

test('a 28 x 28 x 1 tfjs Layers model with no declaration keeps the digits: MNIST look, x / 255', async () => {
  const net = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 16, activation: 'relu' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  const dir = path.join(tmp.dir, 'digits');
  await net.save(pathToFileURL(dir).href);
  const m = await loadUserExtractor(dir, { fallbackClasses: ['x', 'y', 'z'] });
  try {
    assert.equal(m.format, 'layers');
    assert.deepEqual(m.classes, ['x', 'y', 'z']);
    assert.equal(m.recipe.digitLook, true);
    assert.deepEqual(m.recipe.input, { height: 28, width: 28, channels: 1 });
    assert.equal(m.featureDim, 16);
    const pixels = Uint8Array.from({ length: 4 * 784 }, (_, i) => (i * 37) % 256);
    const out = await m.run(pixels, 4);
    const want = tf.tidy(
      () =>
        (
          net.predict(
            tf.tensor4d(
              Float32Array.from(pixels, (v) => v / 255),
              [4, 28, 28, 1],
            ),
          ) as tf.Tensor
        ).arraySync() as number[][],
    );
    const got = softmaxRows(out.logits!, 3);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(got[i]![j]! - want[i]![j]!) < 1e-5);
  } finally {
    m.dispose();
    net.dispose();
  }
});
