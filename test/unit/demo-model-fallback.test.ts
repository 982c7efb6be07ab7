// A shipped pretrained model is used only when it is exactly the training requested, and
// anything wrong with it (another recipe, another architecture, corrupt or truncated
// weights) means training for real with a note saying why, never a crash. Small real
// MNIST slices and real temp folders; the real shipped folder is tested in
// demo-model-shipped.test.ts.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { trainModel, type ModelState } from '../../src/main/engine/pipeline/train-model.js';
import {
  baseHashOf,
  loadShippedModel,
  saveShippedDistances,
  saveShippedModel,
} from '../../src/main/engine/pipeline/shipped-model.js';
import { fromHalf, toHalf, type WeightEncoding } from '../../src/main/engine/model/weight-encoding.js';
import { CNN_ARCH } from '../../src/main/engine/model/cnn.js';
import { knnBaseRows } from '../../src/main/engine/pipeline/neighbour-search.js';
import { DIGITS, mnistArrays, tempDir } from './model-fixtures.js';

const N = 600;
const { pixels, labels: y } = mnistArrays('train', 0, N);
const labels = Array.from(y, (c) => DIGITS[c]!);
const ids = labels.map((_, i) => `img-${i}`);
const tmp = tempDir('unsure-shipped-');
let trained: ModelState;

function request(shipped: string | null, notes: string[], overrides: { labels?: (string | null)[] } = {}) {
  return {
    ids,
    inputs: pixels,
    labels: overrides.labels ?? labels,
    knownClasses: DIGITS,
    epochs: 1,
    projectDir: null,
    shipped,
    onNote: (m: string) => notes.push(m),
  };
}

async function ship(dir: string, encoding: WeightEncoding): Promise<void> {
  await saveShippedModel(dir, trained.classifier, {
    modelVersion: `${trained.modelVersion}-${encoding}`,
    recipeVersion: trained.modelVersion,
    dataHash: 'test',
    seed: 42,
    options: { epochs: 1, seed: 42 },
    arch: CNN_ARCH,
    libtensorflow: 'test',
    createdAt: new Date(0).toISOString(),
    heldOutAccuracy: trained.heldOutAccuracy,
    encoding,
    producedBy: 'demo-model-fallback.test.ts',
  });
}

/** A copy of the good folder to break. */
function copyOf(name: string): string {
  const dir = path.join(tmp.dir, name);
  cpSync(path.join(tmp.dir, 'good'), dir, { recursive: true });
  return dir;
}

before(async () => {
  trained = await trainModel(request(null, []), () => {});
  await ship(path.join(tmp.dir, 'good'), 'int8');
});

after(() => {
  trained?.classifier.dispose();
  tmp.cleanup();
});

describe('shipped model', () => {
  test('the same recipe uses the shipped weights instead of training', async () => {
    const notes: string[] = [];
    let progress = 0;
    const s = await trainModel(request(path.join(tmp.dir, 'good'), notes), () => progress++);
    try {
      assert.equal(s.source, 'shipped');
      assert.equal(progress, 0, 'no training step ran');
      assert.deepEqual(notes, []);
      assert.equal(s.modelVersion, `${trained.modelVersion}-int8`);
      assert.deepEqual(Array.from(s.heldOutIndices), Array.from(trained.heldOutIndices));
      assert.equal(s.heldOutAccuracy, trained.heldOutAccuracy);
    } finally {
      s.classifier.dispose();
    }
  });

  test('int8 weights stay within half a quantization step of the originals', async () => {
    const original = await trained.classifier.cnn.toArrays();
    const loaded = await loadShippedModel(path.join(tmp.dir, 'good'));
    const json = JSON.parse(readFileSync(path.join(tmp.dir, 'good', 'model.json'), 'utf8')) as {
      weights: { name: keyof typeof original; scales?: number[] }[];
    };
    const back = await loaded.model.cnn.toArrays();
    loaded.model.dispose();
    for (const w of json.weights) {
      const a = original[w.name];
      const b = back[w.name];
      assert.equal(a.length, b.length);
      for (let i = 0; i < a.length; i++) {
        const step = w.scales ? w.scales[i % w.scales.length]! : 0;
        assert.ok(Math.abs(a[i]! - b[i]!) <= step / 2 + 1e-7, `${w.name}[${i}]: ${a[i]} vs ${b[i]}`);
      }
    }
  });

  test('float16 round-trips values to 11 significant bits', () => {
    for (const v of [0, 1, -2.5, 0.1, 1e-3, -3.14159, 65504, 6.1e-5, 1e-7]) {
      const r = fromHalf(toHalf(v));
      assert.ok(Math.abs(r - v) <= Math.max(Math.abs(v) * 2 ** -11, 2 ** -25), `${v} -> ${r}`);
    }
    assert.equal(fromHalf(toHalf(1e6)), Infinity);
    assert.ok(Number.isNaN(fromHalf(toHalf(Number.NaN))));
  });

  test('a float16 folder loads as well', async () => {
    const dir = path.join(tmp.dir, 'f16');
    await ship(dir, 'float16');
    const s = await trainModel(request(dir, []), () => {});
    assert.equal(s.source, 'shipped');
    assert.equal(s.modelVersion, `${trained.modelVersion}-float16`);
    s.classifier.dispose();
  });

  test("neighbour distances: kept per row when they are this base's, refused with a note when not", async () => {
    const dir = copyOf('distances');
    const base = knnBaseRows(trained.trainIndices, labels);
    const values = Float32Array.from(base, (_, j) => 0.1 + (j % 7) / 100);
    await saveShippedDistances(dir, { k: 10, baseHash: baseHashOf(ids, base), values });
    const s = await trainModel(request(dir, []), () => {});
    s.classifier.dispose();
    assert.equal(s.knownDistances?.k, 10);
    base.forEach((r, j) => assert.equal(s.knownDistances!.values[r], values[j]));
    assert.equal(s.knownDistances!.values.filter((v) => !Number.isNaN(v)).length, base.length);

    // Distances of another base (its hash differs): not used, with a note; the model still is.
    const json = path.join(dir, 'model.json');
    writeFileSync(json, readFileSync(json, 'utf8').replace(baseHashOf(ids, base), '0123456789abcdef'));
    const notes: string[] = [];
    const other = await trainModel(request(dir, notes), () => {});
    other.classifier.dispose();
    assert.equal(other.source, 'shipped');
    assert.equal(other.knownDistances, null);
    assert.match(notes.join(' '), /neighbour distances are for another set of training samples/);

    // A truncated file is refused like truncated weights: training instead.
    truncateSync(path.join(dir, 'neighbour-distances.bin'), 100);
    await assert.rejects(loadShippedModel(dir), /neighbour-distances\.bin: 100 bytes where model\.json promises/);

    // New weights drop the entry: distances belong to the weights they were computed with.
    await ship(dir, 'int8');
    assert.equal((await loadShippedModel(dir)).neighbourDistances, null);
  });

  const fallbacks: [string, (dir: string) => void, RegExp][] = [
    [
      'another architecture',
      (dir) => {
        const f = path.join(dir, 'model.json');
        writeFileSync(f, readFileSync(f, 'utf8').replace(`"arch": "${CNN_ARCH}"`, '"arch": "cnn-older-v0"'));
      },
      /architecture cnn-older-v0/,
    ],
    ['truncated weights', (dir) => truncateSync(path.join(dir, 'weights.bin'), 1000), /needs \d+ bytes/],
    [
      'a weight of another shape',
      (dir) => {
        const f = path.join(dir, 'model.json');
        const j = JSON.parse(readFileSync(f, 'utf8'));
        j.weights.find((w: { name: string }) => w.name === 'fc1W').shape = [3136, 64];
        writeFileSync(f, JSON.stringify(j));
      },
      /fc1W has shape \[3136,64\]/,
    ],
    [
      'unparseable model.json',
      (dir) => writeFileSync(path.join(dir, 'model.json'), '{"format": "unsure-shipp'),
      /No usable shipped demo model/,
    ],
  ];
  for (const [what, breakIt, expected] of fallbacks) {
    test(`${what}: trains instead, with a note`, async () => {
      const dir = copyOf(what.replace(/\W+/g, '-'));
      breakIt(dir);
      const notes: string[] = [];
      let steps = 0;
      const s = await trainModel(request(dir, notes), () => steps++);
      try {
        assert.equal(s.source, 'trained');
        assert.ok(steps > 0, 'a real training ran');
        assert.equal(s.modelVersion, trained.modelVersion);
        assert.equal(notes.length, 1, `one note, got ${JSON.stringify(notes)}`);
        assert.match(notes[0]!, expected);
        assert.match(notes[0]!, /training instead/);
      } finally {
        s.classifier.dispose();
      }
    });
  }

  test('changed labels (a decision) make another recipe: trains, the note says so', async () => {
    const changed = [...labels];
    changed[0] = changed[0] === '1' ? '2' : '1';
    const notes: string[] = [];
    const s = await trainModel(request(path.join(tmp.dir, 'good'), notes, { labels: changed }), () => {});
    try {
      assert.equal(s.source, 'trained');
      assert.notEqual(s.modelVersion, trained.modelVersion);
      assert.match(notes[0] ?? '', /another recipe/);
    } finally {
      s.classifier.dispose();
    }
  });
});
