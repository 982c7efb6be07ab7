// ExactCosineIndex against a brute-force float64 reference, on real MNIST digits (their
// pixel vectors: many near-duplicates and near-ties, unlike random vectors) and on shapes
// that exercise every code path: the grouped pre-reduction with and without a tail, plain
// topk, several query blocks, self exclusion.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-node';
import { describe, test } from 'node:test';
import { ExactCosineIndex, l2NormaliseRows } from '../../src/main/engine/embeddings/knn-index.js';
import { readMnistRaw } from '../../src/main/engine/datasets/mnist.js';
import { PIXELS_PER_IMAGE } from '../../src/main/engine/types.js';

function mnistVectors(start: number, count: number): Float32Array {
  const raw = readMnistRaw('test');
  const out = new Float32Array(count * PIXELS_PER_IMAGE);
  for (let i = 0; i < out.length; i++) out[i] = raw.pixels[start * PIXELS_PER_IMAGE + i]! / 255;
  return out;
}

/** All similarities of one query, float64, sorted descending (ties by index). */
function bruteForce(
  base: Float32Array,
  queries: Float32Array,
  dim: number,
  qi: number,
  skip = -1,
): { i: number; s: number }[] {
  const b = l2NormaliseRows(base, dim);
  const q = l2NormaliseRows(queries, dim);
  const all: { i: number; s: number }[] = [];
  for (let i = 0; i < b.length / dim; i++) {
    if (i === skip) continue;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += q[qi * dim + j]! * b[i * dim + j]!;
    all.push({ i, s: dot });
  }
  return all.sort((x, y) => y.s - x.s || x.i - y.i);
}

/**
 * Same neighbours as the reference: similarities match to float32 rounding, and every
 * returned index is one whose true similarity equals the returned one (so a swap between
 * near-tied neighbours is accepted, a wrong neighbour is not).
 */
function assertMatches(
  base: Float32Array,
  queries: Float32Array,
  dim: number,
  k: number,
  got: { indices: Int32Array; sims: Float32Array },
  exclude?: Int32Array,
): void {
  const nq = queries.length / dim;
  assert.equal(got.indices.length, nq * k);
  for (let qi = 0; qi < nq; qi++) {
    const ref = bruteForce(base, queries, dim, qi, exclude ? exclude[qi] : -1);
    const trueSim = new Map(ref.map((r) => [r.i, r.s]));
    const seen = new Set<number>();
    for (let j = 0; j < k; j++) {
      const idx = got.indices[qi * k + j]!; // length nq * k asserted above
      const sim = got.sims[qi * k + j]!;
      assert.ok(!seen.has(idx), `query ${qi}: index ${idx} returned twice`);
      seen.add(idx);
      assert.ok(trueSim.has(idx), `query ${qi}: index ${idx} is excluded or out of range`);
      assert.ok(Math.abs(sim - ref[j]!.s) < 1e-5, `query ${qi} rank ${j}: sim ${sim} vs reference ${ref[j]!.s}`);
      assert.ok(
        Math.abs(trueSim.get(idx)! - sim) < 1e-5,
        `query ${qi} rank ${j}: index ${idx} has true sim ${trueSim.get(idx)}, reported ${sim}`,
      );
      if (j > 0) assert.ok(sim <= got.sims[qi * k + j - 1]! + 1e-7, `query ${qi}: not sorted at rank ${j}`);
    }
  }
}

describe('ExactCosineIndex', () => {
  const dim = PIXELS_PER_IMAGE;
  const base = mnistVectors(0, 1003); // 1003: not a multiple of any group size -> tail rows
  const queries = mnistVectors(2000, 40);

  test('grouped pre-reduction with a tail returns the brute-force neighbours', () => {
    const index = new ExactCosineIndex(base, dim, { groupSize: 8, blockSize: 16 }); // 3 blocks
    try {
      assertMatches(base, queries, dim, 5, index.search(queries, 5));
    } finally {
      index.dispose();
    }
  });

  test('plain topk path (groupSize 0) agrees with the reference', () => {
    const index = new ExactCosineIndex(base, dim, { groupSize: 0 });
    try {
      assertMatches(base, queries, dim, 7, index.search(queries, 7));
    } finally {
      index.dispose();
    }
  });

  test('default options agree with the reference for k = 1 and k = 20', () => {
    const index = new ExactCosineIndex(base, dim);
    try {
      assertMatches(base, queries, dim, 1, index.search(queries, 1));
      assertMatches(base, queries, dim, 20, index.search(queries, 20));
    } finally {
      index.dispose();
    }
  });

  test('large groups relative to k still find the true neighbours', () => {
    // 1003 rows in groups of 100: only 10 groups, k = 9, every candidate group matters.
    const index = new ExactCosineIndex(base, dim, { groupSize: 100 });
    try {
      assertMatches(base, queries, dim, 9, index.search(queries, 9));
    } finally {
      index.dispose();
    }
  });

  test('excludeSelf skips each query its own row, and only that row', () => {
    const self = base.subarray(0, 60 * dim);
    const exclude = Int32Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? -1 : i));
    const index = new ExactCosineIndex(base, dim, { groupSize: 8 });
    try {
      const r = index.search(self, 4, { excludeSelf: exclude });
      assertMatches(base, self, dim, 4, r, exclude);
      for (let i = 0; i < 60; i++) {
        const row = Array.from(r.indices.subarray(i * 4, i * 4 + 4));
        if (exclude[i]! >= 0) assert.ok(!row.includes(i), `query ${i} found itself`);
        else assert.equal(row[0], i, `query ${i} without exclusion should find itself first`);
      }
    } finally {
      index.dispose();
    }
  });

  test('exact duplicates: all copies come back with similarity 1', () => {
    const d = 4;
    const v = new Float32Array([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, -1, 0, 0, 0, 0, 1, 0, 0]);
    const index = new ExactCosineIndex(v, d);
    try {
      const r = index.search(new Float32Array([2, 4, 6, 8]), 3);
      assert.deepEqual(Array.from(r.indices).sort(), [0, 1, 2]);
      for (const s of r.sims) assert.ok(Math.abs(s - 1) < 1e-6);
    } finally {
      index.dispose();
    }
  });

  test('queries and base are normalised: scaling changes nothing', () => {
    const index = new ExactCosineIndex(
      base.map((x) => x * 7),
      dim,
    );
    try {
      const r = index.search(
        queries.map((x) => x * 0.01),
        3,
      );
      assertMatches(base, queries, dim, 3, r);
    } finally {
      index.dispose();
    }
  });

  test('search and dispose leave no tensor behind', () => {
    const before = tf.memory().numTensors;
    const index = new ExactCosineIndex(base, dim, { blockSize: 16 });
    index.search(queries, 5); // grouped, with a tail
    index.search(queries, 5, { excludeSelf: new Int32Array(queries.length / dim).fill(-1) });
    index.search(queries, 300); // plain topk
    index.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  test('bad input throws a clear error', () => {
    assert.throws(() => new ExactCosineIndex(new Float32Array(10), 3), /not a multiple of dim 3/);
    assert.throws(() => new ExactCosineIndex(new Float32Array(0), 3), /no vectors/);
    assert.throws(() => new ExactCosineIndex(new Float32Array([1, Number.NaN]), 2), /non-finite/);
    const index = new ExactCosineIndex(new Float32Array([1, 0, 0, 1, 1, 1]), 2);
    try {
      assert.throws(() => index.search(new Float32Array([1, 0, 0]), 1), /queries: length 3/);
      assert.throws(() => index.search(new Float32Array([1, 0]), 4), /k=4 exceeds the 3 base vectors/);
      assert.throws(
        () => index.search(new Float32Array([1, 0]), 3, { excludeSelf: new Int32Array([0]) }),
        /excludeSelf/,
      );
      // Nothing actually excluded: the whole base may be asked for.
      assert.equal(index.search(new Float32Array([1, 0]), 3, { excludeSelf: new Int32Array([-1]) }).indices.length, 3);
      assert.deepEqual(
        Array.from(index.search(new Float32Array([1, 0]), 2, { excludeSelf: new Int32Array([0]) }).indices),
        [2, 1],
      );
      assert.throws(
        () => index.search(new Float32Array([1, 0]), 1, { excludeSelf: new Int32Array([5]) }),
        /excludeSelf\[0\]=5/,
      );
      assert.throws(() => index.search(new Float32Array([1, 0]), 0), /k must be a positive integer/);
      assert.equal(index.search(new Float32Array(0), 2).indices.length, 0);
    } finally {
      index.dispose();
    }
    assert.throws(() => index.search(new Float32Array([1, 0]), 1), /after dispose/);
  });
});
