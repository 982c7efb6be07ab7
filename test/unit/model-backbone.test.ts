// The shipped backbone rebuilt at two input sizes gives the features Keras gives with the same
// weights (test/fixtures/backbone-ref/make_backbone_ref.py made expected.json once), finite,
// [n, 1280]; batching and padding the last batch do not change a row.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadBackbone, photoRecipe, shippedBackboneDir } from '../../src/main/engine/model/backbone.js';
import { tf } from '../../src/main/engine/model/tf.js';

const here = path.dirname(fileURLToPath(import.meta.url));
interface Expected {
  stride: number;
  sizes: Record<string, { every: number[]; sum: number; sumsq: number }[]>;
}
const expected = JSON.parse(
  readFileSync(path.join(here, '../fixtures/backbone-ref/expected.json'), 'utf8'),
) as Expected;

/** The same integer formula as make_backbone_ref.py's image(k, size). */
function images(size: number): Uint8Array {
  const px = new Uint8Array(3 * size * size * 3);
  for (let k = 0; k < 3; k++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        for (let c = 0; c < 3; c++)
          px[((k * size + y) * size + x) * 3 + c] =
            (x * (k + 3) * 7 + y * (k + 5) * 13 + c * 71 + k * 29 + ((x * y) % 17) * 5) % 256;
  return px;
}

function close(actual: number, want: number, what: string): void {
  assert.ok(Math.abs(actual - want) <= 2e-3 + 2e-3 * Math.abs(want), `${what}: ${actual} vs Keras ${want}`);
}

for (const size of [96, 224]) {
  test(`backbone at ${size} x ${size} matches Keras on 3 fixed images`, async () => {
    const bb = await loadBackbone(undefined, {
      inputSize: size,
      taps: [],
      batch: 2,
      mirror: false,
      root: false,
      scales: [],
    });
    try {
      assert.equal(bb.featureDim, 1280);
      assert.deepEqual(bb.recipe, photoRecipe(size));
      assert.equal(bb.classes, null);
      const { features, logits } = await bb.run(images(size), 3);
      assert.equal(logits, null);
      assert.ok(features);
      assert.equal(features.length, 3 * 1280);
      assert.ok(features.every(Number.isFinite));
      const want = expected.sizes[String(size)]!;
      for (let k = 0; k < 3; k++) {
        const row = features.subarray(k * 1280, (k + 1) * 1280);
        let sum = 0;
        let sumsq = 0;
        for (const v of row) {
          sum += v;
          sumsq += v * v;
        }
        close(sum, want[k]!.sum, `image ${k} sum`);
        close(sumsq, want[k]!.sumsq, `image ${k} sum of squares`);
        want[k]!.every.forEach((v, j) =>
          close(row[j * expected.stride]!, v, `image ${k} feature ${j * expected.stride}`),
        );
      }
    } finally {
      bb.dispose();
    }
  });
}

test('a tap appends pooled rows, the id names size and taps, and bad sizes are refused', async () => {
  const bb = await loadBackbone(undefined, {
    inputSize: 96,
    taps: ['block_15_add'],
    batch: 4,
    mirror: false,
    root: false,
    scales: [],
  });
  try {
    assert.equal(bb.featureDim, 1280 + 56);
    assert.match(bb.id, /^mobilenet-v2-0\.35-[0-9a-f]{16}@96\+block_15_add:photo-v2$/);
    const { features } = await bb.run(images(96), 3);
    const plain = await loadBackbone(undefined, {
      inputSize: 96,
      taps: [],
      batch: 3,
      mirror: false,
      root: false,
      scales: [],
    });
    const base = (await plain.run(images(96), 3)).features!;
    plain.dispose();
    for (let k = 0; k < 3; k++)
      for (let j = 0; j < 1280; j += 97) close(features![k * 1336 + j]!, base[k * 1280 + j]!, `row ${k} col ${j}`);
  } finally {
    bb.dispose();
  }
  await assert.rejects(loadBackbone(undefined, { inputSize: 20 }), /input size must be an integer 32\.\.512/);
  await assert.rejects(loadBackbone(undefined, { scales: [600] }), /input size must be an integer 32\.\.512, got 600/);
  await assert.rejects(loadBackbone(undefined, { inputSize: 96, taps: ['nope'] }), /no layer named nope/);
  await assert.rejects(loadBackbone('/nonexistent-backbone'), /nonexistent-backbone\/model\.json: cannot read/);
});

test('mirror averages each row with the mirror image row', async () => {
  const size = 64;
  const px = images(size);
  const flipped = new Uint8Array(px.length);
  for (let k = 0; k < 3; k++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        for (let c = 0; c < 3; c++)
          flipped[((k * size + y) * size + x) * 3 + c] = px[((k * size + y) * size + (size - 1 - x)) * 3 + c]!;
  const mirrored = await loadBackbone(undefined, {
    inputSize: size,
    taps: [],
    batch: 4,
    mirror: true,
    root: false,
    scales: [],
  });
  const plain = await loadBackbone(undefined, {
    inputSize: size,
    taps: [],
    batch: 4,
    mirror: false,
    root: false,
    scales: [],
  });
  try {
    assert.match(mirrored.id, /@64\+mirror:photo-v2$/);
    const m = (await mirrored.run(px, 3)).features!;
    const a = (await plain.run(px, 3)).features!;
    const b = (await plain.run(flipped, 3)).features!;
    let differs = false;
    for (let i = 0; i < m.length; i++) {
      close(m[i]!, (a[i]! + b[i]!) / 2, `value ${i}`);
      if (Math.abs(a[i]! - b[i]!) > 1e-3) differs = true;
    }
    assert.ok(differs, 'the mirror image gives other features (else the test shows nothing)');
  } finally {
    mirrored.dispose();
    plain.dispose();
  }
});

test('scales average in the rows of the image resized to each other size, and the id names them', async () => {
  const size = 64;
  const px = images(size);
  const opts = { taps: [], batch: 4, mirror: false, root: false, graph: false } as const;
  const scaled = await loadBackbone(undefined, { ...opts, inputSize: size, scales: [80] });
  const plain = await loadBackbone(undefined, { ...opts, inputSize: size, scales: [] });
  const at80 = await loadBackbone(undefined, { ...opts, inputSize: 80, scales: [] });
  try {
    assert.match(scaled.id, /@64\+80:photo-v2$/);
    assert.match(scaled.notes[0]!, /averaged over the image at 64 and 80 px/);
    const s = (await scaled.run(px, 3)).features!;
    const a = (await plain.run(px, 3)).features!;
    // The same resize, by TensorFlow (bilinear, half-pixel centres), then bytes at 80 x 80.
    const resized = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(px), [3, size, size, 3]);
      return tf.image.resizeBilinear(x, [80, 80], false, true).dataSync() as Float32Array;
    });
    const b = (
      await at80.run(
        Uint8Array.from(resized, (v) => Math.round(v)),
        3,
      )
    ).features!;
    // Off the mean of the two sizes only by the rounding to bytes, and far from the 64 px rows.
    let offMean = 0;
    let offPlain = 0;
    for (let i = 0; i < s.length; i++) {
      offMean = Math.max(offMean, Math.abs(s[i]! - (a[i]! + b[i]!) / 2));
      offPlain = Math.max(offPlain, Math.abs(s[i]! - a[i]!));
    }
    assert.ok(
      offMean < 0.05 && offMean < offPlain / 5,
      `off the mean by ${offMean}, off the 64 px rows by ${offPlain}`,
    );
  } finally {
    scaled.dispose();
    plain.dispose();
    at80.dispose();
  }
});

test('root takes the signed square root of every value, and the id says so', async () => {
  const size = 64;
  const rooted = await loadBackbone(undefined, {
    inputSize: size,
    taps: ['block_15_add'],
    batch: 4,
    mirror: false,
    scales: [],
  });
  const plain = await loadBackbone(undefined, {
    inputSize: size,
    taps: ['block_15_add'],
    batch: 4,
    mirror: false,
    root: false,
    scales: [],
  });
  try {
    assert.match(rooted.id, /@64\+block_15_add\+sqrt:photo-v2$/);
    assert.doesNotMatch(plain.id, /sqrt/);
    assert.match(rooted.notes[0]!, /signed square roots/);
    const r = (await rooted.run(images(size), 3)).features!;
    const p = (await plain.run(images(size), 3)).features!;
    let negative = false;
    for (let i = 0; i < r.length; i++) {
      close(r[i]!, Math.sign(p[i]!) * Math.sqrt(Math.abs(p[i]!)), `value ${i}`);
      if (p[i]! < -1e-3) negative = true;
    }
    assert.ok(negative, 'a tap gives negative values (else the sign is not tested)');
  } finally {
    rooted.dispose();
    plain.dispose();
  }
});

test('the default backbone runs as the shipped TensorFlow graph and gives the layers graph rows; a graph of other weights is not used', async () => {
  const n = 5;
  const px = images(128).subarray(0, 3 * 128 * 128 * 3);
  const all = new Uint8Array(n * 128 * 128 * 3);
  for (let k = 0; k < n; k++)
    all.set(px.subarray((k % 3) * 128 * 128 * 3, ((k % 3) + 1) * 128 * 128 * 3), k * 128 * 128 * 3);
  const graph = await loadBackbone(undefined, { batch: 4 });
  const layers = await loadBackbone(undefined, { batch: 4, graph: false });
  try {
    assert.match(graph.notes[0]!, /run as a TensorFlow graph/);
    assert.match(layers.notes[0]!, /run by tfjs layers/);
    assert.equal(graph.id, layers.id, 'the same rows: one cache');
    assert.equal(graph.featureDim, layers.featureDim);
    assert.equal(graph.knnCols, 1280);
    const a = (await graph.run(all, n)).features!;
    const b = (await layers.run(all, n)).features!;
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-4, `value ${i}: ${a[i]} vs ${b[i]}`);
  } finally {
    graph.dispose();
    layers.dispose();
  }
  // A copy of the folder whose weights differ from those the graph was made from.
  const copy = mkdtempSync(path.join(tmpdir(), 'unsure-backbone-graph-'));
  try {
    cpSync(shippedBackboneDir(), copy, { recursive: true });
    const bin = readFileSync(path.join(copy, 'weights.bin'));
    bin[100] = bin[100]! ^ 1;
    writeFileSync(path.join(copy, 'weights.bin'), bin);
    const other = await loadBackbone(copy, { batch: 4 });
    try {
      assert.match(other.notes[0]!, /run by tfjs layers/);
      assert.notEqual(other.id, layers.id);
    } finally {
      other.dispose();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
