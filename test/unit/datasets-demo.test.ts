import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_POOL_SIZE, demoPoolCounts, loadDemo } from '../../src/main/engine/datasets/demo.js';
import {
  DEMO_DISTRACTOR_KINDS,
  EVAL_ONLY_KINDS,
  EXTRA_DEV_KINDS,
  generateDistractors,
  type DistractorKind,
} from '../../src/main/engine/datasets/distractors.js';
import { loadFashionMnist } from '../../src/main/engine/datasets/fashion.js';
import { readMnistRaw } from '../../src/main/engine/datasets/mnist.js';
import { sampleId } from '../../src/main/engine/datasets/sample-id.js';
import { imageAt } from './datasets-fixtures.js';

const ORIGINS = ['mnist', 'missegmented', 'scribble', 'noise', 'fashion'];

describe('the demo, digits in the wild', () => {
  test('is the same for the same seed, holds every origin, and ids hash the pixels', async () => {
    const a = await loadDemo({ seed: 3, trainSize: 300, poolSize: 80 });
    const b = await loadDemo({ seed: 3, trainSize: 300, poolSize: 80 });
    assert.deepEqual(a.pool.samples, b.pool.samples);
    assert.deepEqual(a.pool.pixels, b.pool.pixels);
    assert.deepEqual(a.train.samples, b.train.samples);

    const { train, pool } = a;
    assert.equal(train.kind, 'demo');
    assert.equal(train.samples.length, 300);
    assert.equal(train.samples[0]!.label, '5'); // MNIST training digit 0 is a 5
    assert.equal(train.samples[0]!.path, 'demo/mnist-train/0.png');
    assert.deepEqual(train.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(imageAt(train.pixels, 7), imageAt(readMnistRaw('train').pixels, 7));

    assert.equal(pool.samples.length, 80);
    assert.deepEqual(pool.copies, []);
    const counts = new Map<string, number>();
    for (const s of pool.samples) counts.set(s.origin!, (counts.get(s.origin!) ?? 0) + 1);
    assert.deepEqual([...counts.keys()].sort(), [...ORIGINS].sort());
    assert.deepEqual(Object.fromEntries(counts), { ...demoPoolCounts(80) });

    const test10k = readMnistRaw('test');
    pool.samples.forEach((s, i) => {
      assert.equal(s.file, null);
      assert.equal(s.id, sampleId(imageAt(pool.pixels, i)));
      if (s.origin === 'mnist') {
        // Pool digits keep their true MNIST test label, so label checks can be measured.
        const n = Number(/^demo\/mnist-test\/(\d+)\.png$/.exec(s.path)![1]);
        assert.equal(s.label, String(test10k.labels[n]));
        assert.deepEqual(imageAt(pool.pixels, i), imageAt(test10k.pixels, n));
      } else {
        assert.equal(s.label, null);
        assert.match(s.path, new RegExp(`^demo/${s.origin}/\\d+\\.png$`));
      }
    });
    // Origins are interleaved, not in blocks.
    const firstHalf = new Set(pool.samples.slice(0, 40).map((s) => s.origin));
    assert.ok(firstHalf.size >= 3);
  });

  test('another seed gives another pool; the default pool is about half MNIST', async () => {
    const a = await loadDemo({ seed: 1, trainSize: 10, poolSize: 50 });
    const b = await loadDemo({ seed: 2, trainSize: 10, poolSize: 50 });
    const idsA = new Set(a.pool.samples.map((s) => s.id));
    const shared = b.pool.samples.filter((s) => idsA.has(s.id)).length;
    assert.ok(shared < 10, `${shared} samples shared between seeds`);
    const counts = demoPoolCounts(DEFAULT_POOL_SIZE);
    assert.equal(
      Object.values(counts).reduce((x, y) => x + y, 0),
      DEFAULT_POOL_SIZE,
    );
    assert.ok(counts.mnist >= 0.4 * DEFAULT_POOL_SIZE && counts.mnist <= 0.6 * DEFAULT_POOL_SIZE);
  });
});

describe('distractor generators', () => {
  const kinds: DistractorKind[] = [...DEMO_DISTRACTOR_KINDS, ...EXTRA_DEV_KINDS, ...EVAL_ONLY_KINDS];

  test('eval-only kinds are separate from the demo kinds and the extra development kinds', () => {
    assert.deepEqual([...EVAL_ONLY_KINDS].sort(), ['inverted', 'letters-like', 'shifted']);
    const dev: readonly string[] = [...DEMO_DISTRACTOR_KINDS, ...EXTRA_DEV_KINDS];
    for (const k of EVAL_ONLY_KINDS) assert.ok(!dev.includes(k));
    // The extra development kinds are for choosing scores, not for the demo's pool.
    for (const k of EXTRA_DEV_KINDS) assert.ok(!(DEMO_DISTRACTOR_KINDS as readonly string[]).includes(k));
  });

  for (const kind of kinds) {
    test(`${kind}: n*784 bytes, deterministic per seed, varied, with ink`, () => {
      const a = generateDistractors(kind, 12, 5);
      assert.equal(a.length, 12 * 784);
      assert.deepEqual(generateDistractors(kind, 12, 5), a);
      assert.notDeepEqual(generateDistractors(kind, 12, 6), a);
      const ids = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const img = imageAt(a, i);
        ids.add(sampleId(img));
        assert.ok(Math.max(...img) > 100, `${kind} #${i} has no bright pixel`);
      }
      assert.equal(ids.size, 12, `${kind} repeats itself`);
    });
  }

  test('missegmented windows hold ink from two digits (wider than one stroke, off the usual shapes)', () => {
    const imgs = generateDistractors('missegmented', 20, 9);
    for (let i = 0; i < 20; i++) {
      const img = imageAt(imgs, i);
      const ink = img.reduce((n, v) => n + (v > 64 ? 1 : 0), 0);
      assert.ok(ink > 20, `window ${i} is nearly empty`);
    }
  });

  test('inverted digits are 255 minus an MNIST test digit', () => {
    const img = imageAt(generateDistractors('inverted', 1, 1), 0);
    const digit = Uint8Array.from(img, (v) => 255 - v);
    const test10k = readMnistRaw('test');
    let found = false;
    for (let n = 0; n < test10k.count && !found; n++) {
      const d = imageAt(test10k.pixels, n);
      found = d.every((v, j) => v === digit[j]);
    }
    assert.ok(found);
  });

  test('Fashion-MNIST samples are deterministic per seed and light on dark', () => {
    const a = loadFashionMnist(30, 4);
    assert.equal(a.length, 30 * 784);
    assert.deepEqual(loadFashionMnist(30, 4), a);
    assert.notDeepEqual(loadFashionMnist(30, 5), a);
    for (let i = 0; i < 30; i++) {
      const img = imageAt(a, i);
      assert.ok(img[0]! < 64 && Math.max(...img) > 100, `fashion #${i} is not light on dark`);
    }
  });
});
