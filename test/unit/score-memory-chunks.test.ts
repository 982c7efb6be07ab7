// What scoring does a chunk at a time to keep memory flat as the pool grows (the kNN
// queries, the Mahalanobis joint vectors, the CSV text) gives exactly what doing it all at
// once gave: the same neighbours and similarities bit for bit, the same distances, the same
// bytes on disk.
import assert from 'node:assert/strict';
import { fileRows } from '../../src/main/engine/pipeline/file-rows.js';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { EngineSample, ScoreTable } from '../../src/main/engine/engine-types.js';
import { readMnistRaw } from '../../src/main/engine/datasets/mnist.js';
import { jointRows } from '../../src/main/engine/embeddings/joint-features.js';
import { ExactCosineIndex } from '../../src/main/engine/embeddings/knn-index.js';
import { searchNeighbours, type Neighbourhood } from '../../src/main/engine/pipeline/neighbour-search.js';
import { scoreCsvLines, scoreTableToCsv } from '../../src/main/engine/pipeline/score-csv.js';
import { tiedMahalanobis } from '../../src/main/engine/pipeline/score-rows.js';
import { loadScoreCache, saveScoreCache } from '../../src/main/engine/pipeline/score-cache.js';
import type { ScoreInput } from '../../src/main/engine/pipeline/score-table.js';
import { writeTextAtomic } from '../../src/main/engine/project/atomic-write.js';
import { fitTiedGaussian, mahalanobisScore } from '../../src/main/engine/scores/mahalanobis.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'unsure-chunks-'));
  dirs.push(d);
  return d;
}

/**
 * n unit vectors of 49 dimensions: MNIST digits pooled 4x4 (train then test records), so
 * there are many near-ties, as real embeddings have.
 */
function digitVectors(n: number): Float32Array {
  const train = readMnistRaw('train').pixels;
  const dim = 49;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let c = 0; c < dim; c++) {
      const by = Math.floor(c / 7) * 4;
      const bx = (c % 7) * 4;
      let s = 0;
      for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) s += train[i * 784 + (by + y) * 28 + bx + x]!;
      out[i * dim + c] = s + 1;
      ss += (s + 1) ** 2;
    }
    for (let c = 0; c < dim; c++) out[i * dim + c]! /= Math.sqrt(ss);
  }
  return out;
}

test('the neighbour search in chunks gives every row the neighbours one whole search gives', () => {
  const n = 20_000;
  const nTrain = 3000;
  const dim = 49;
  const k = 10;
  const embeddings = digitVectors(n);
  const labels = Array.from({ length: n }, (_, i) => (i < nTrain ? String(i % 10) : null));
  const trainIndices = Int32Array.from({ length: nTrain }, (_, i) => i);
  const input = { labels, trainIndices, knownDistances: null } as unknown as ScoreInput;
  const nb: Neighbourhood = {
    logits: new Float32Array(0),
    embeddings,
    dim,
    lowLevel: null,
    lowLevelDim: 0,
    mcDisagreement: null,
    featureNorms: null,
    neighbours: new Int32Array(n * k).fill(-1),
    neighbourSims: new Float32Array(n * k).fill(Number.NaN),
    k,
    searched: new Uint8Array(n),
  };
  searchNeighbours(input, nb, new Uint8Array(n).fill(1), () => {});
  assert.ok(nb.searched.every((s) => s === 1));

  // The search as it was: every row in one call (base = the training rows, each excluding itself).
  const index = new ExactCosineIndex(embeddings.slice(0, nTrain * dim), dim);
  try {
    assert.ok(n > 2 * 8192, 'the rows span several chunks of the search');
    const exclude = Int32Array.from({ length: n }, (_, i) => (i < nTrain ? i : -1));
    const whole = index.search(embeddings, k, { excludeSelf: exclude, fixedBlocks: true });
    assert.deepEqual(nb.neighbours, whole.indices);
    assert.deepEqual(nb.neighbourSims, whole.sims);
    for (let i = 0; i < nTrain; i++)
      assert.ok(!nb.neighbours.subarray(i * k, (i + 1) * k).includes(i), `row ${i} found itself`);
  } finally {
    index.dispose();
  }
});

test('a search split at whole blocks with extraNeighbour equals one whole search', () => {
  const dim = 49;
  const all = digitVectors(6000);
  const index = new ExactCosineIndex(all.slice(0, 2000 * dim), dim, { blockSize: 64 });
  try {
    const nq = 5000;
    const queries = all.slice(1000 * dim, (1000 + nq) * dim);
    // Queries 0..999 are base rows 1000..1999 (they exclude themselves); the rest are not.
    const exclude = Int32Array.from({ length: nq }, (_, j) => (j < 1000 ? 1000 + j : -1));
    const whole = index.search(queries, 7, { excludeSelf: exclude, fixedBlocks: true });
    const step = 5 * index.blockSize;
    const idx = new Int32Array(nq * 7);
    const sims = new Float32Array(nq * 7);
    for (let s = 0; s < nq; s += step) {
      const e = Math.min(nq, s + step);
      const r = index.search(queries.subarray(s * dim, e * dim), 7, {
        excludeSelf: exclude.subarray(s, e),
        fixedBlocks: true,
        extraNeighbour: true,
      });
      idx.set(r.indices, s * 7);
      sims.set(r.sims, s * 7);
    }
    assert.deepEqual(idx, whole.indices);
    assert.deepEqual(sims, whole.sims);
  } finally {
    index.dispose();
  }
});

test('the Mahalanobis distances in chunks equal those of every joint vector at once', () => {
  const n = 40_000;
  const emb = digitVectors(n);
  const low = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) for (let c = 0; c < 4; c++) low[i * 4 + c] = emb[i * 49 + 20 + c]! * emb[i * 49 + c]!;
  const blocks = [
    { values: emb, dim: 49 },
    { values: low, dim: 4 },
  ];
  const base = Int32Array.from({ length: 5000 }, (_, i) => i);
  const given = Int32Array.from({ length: n }, (_, i) => i % 10);
  const rows = Int32Array.from({ length: n - 100 }, (_, j) => n - 1 - j);
  const chunked = tiedMahalanobis(base, given, rows, blocks);
  const fit = jointRows(base, blocks);
  const model = fitTiedGaussian(
    fit.vectors,
    fit.dim,
    Int32Array.from(base, (r) => given[r]!),
  );
  const whole = mahalanobisScore(model, jointRows(rows, blocks).vectors);
  assert.equal(chunked.length, rows.length);
  assert.deepEqual(chunked, whole);
  assert.ok(whole.some((d) => d > 0));
});

test('writeTextAtomic writes exactly the joined pieces, across chunk boundaries and in UTF-8', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'out.csv');
  await writeFile(file, 'old content\n');
  // ~3.5 MiB of lines with two- and three-byte characters straddling the 1 Mi-character chunks.
  const pieces = Array.from({ length: 60_000 }, (_, i) => `${i},é,€,${'x'.repeat(i % 97)}\n`);
  await writeTextAtomic(file, pieces);
  assert.equal(await readFile(file, 'utf8'), pieces.join(''));
  await writeTextAtomic(file, []);
  assert.equal(await readFile(file, 'utf8'), '');
  assert.deepEqual(await readdir(dir), ['out.csv'], 'no temp file is left');
});

test('a failure while the pieces are made leaves the old file and no temp', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'out.csv');
  await writeFile(file, 'old content\n');
  function* failing(): Generator<string> {
    for (let i = 0; i < 200_000; i++) yield `${i},${'y'.repeat(20)}\n`; // several chunks written first
    throw new Error('row 200000 is not a scored sample index');
  }
  await assert.rejects(writeTextAtomic(file, failing()), /row 200000/);
  assert.equal(await readFile(file, 'utf8'), 'old content\n');
  assert.deepEqual(await readdir(dir), ['out.csv']);
});

test('the CSV streamed to disk is byte for byte the CSV string', async () => {
  const n = 30_000;
  const samples: EngineSample[] = Array.from({ length: n }, (_, i) => ({
    id: `id${i}`,
    path: i % 7 === 0 ? `dir/with,comma ${i}.png` : `img_${i}.png`,
    label: i % 3 === 0 ? null : String(i % 10),
    file: null,
    split: i < 1000 ? 'train' : 'pool',
  }));
  const col = (f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
  const table = {
    modelVersion: 'v',
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    predicted: Int32Array.from({ length: n }, (_, i) => (i % 11 === 0 ? -1 : i % 10)),
    confidence: col((i) => (i % 13) / 13),
    msp: col((i) => 1 - (i % 13) / 13),
    margin: col((i) => Math.sin(i)),
    entropy: col((i) => Math.cos(i) ** 2),
    energy: col((i) => -i / 1000),
    knnDistance: col((i) => (i % 5 === 0 ? Number.NaN : 1 / (i + 1))),
    mcDisagreement: col((i) => (i % 2 ? Number.NaN : i / n)),
    oodScore: col((i) => Math.sqrt(i)),
    labelIssue: col((i) => (i % 3 === 0 ? Number.NaN : (i % 17) / 17)),
    // Ties on purpose: the rank of tied rows follows their order in `rows`.
    reviewPriority: col((i) => (i % 11 === 0 ? -Infinity : i % 250)),
    flags: Uint8Array.from({ length: n }, (_, i) => i % 8),
  } as unknown as ScoreTable;
  const rows = fileRows(samples, [], 'pool');
  assert.equal(rows.length, n - 1000);
  const text = scoreTableToCsv(table, rows);
  const dir = await tempDir();
  const file = path.join(dir, 'scores.csv');
  await writeTextAtomic(file, scoreCsvLines(table, rows));
  assert.equal(await readFile(file, 'utf8'), text);
  assert.equal(text.split('\n').length, rows.length + 2); // header, rows, the final newline
});

test('the score cache, written part by part and read into one buffer, comes back bit for bit; a cut file is ignored', async () => {
  const dir = await tempDir();
  const n = 3000;
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  const f = (m: number, s: number) => Float32Array.from({ length: m }, (_, i) => s + Math.sin(i));
  const nb = {
    logits: f(n * 10, 1),
    embeddings: f(n * 128, -2),
    dim: 128,
    lowLevel: f(n * 64, 3),
    lowLevelDim: 64,
    mcDisagreement: f(n, 0),
    neighbours: Int32Array.from({ length: n * 10 }, (_, i) => (i * 7) % n),
    neighbourSims: f(n * 10, 0.5),
    k: 10,
  };
  await saveScoreCache(dir, 'm1', ids, nb);
  assert.deepEqual(await loadScoreCache(dir, 'm1', ids), nb);
  const file = path.join(dir, 'scores', 'm1.bin');
  const bytes = await readFile(file);
  await writeFile(file, bytes.subarray(0, bytes.length - 4));
  assert.equal(await loadScoreCache(dir, 'm1', ids), null, 'cut short');
  const huge = Buffer.from(bytes);
  huge.writeUInt32LE(0x7fffffff, 0);
  await writeFile(file, huge);
  assert.equal(await loadScoreCache(dir, 'm1', ids), null, 'a header length past the end');
  assert.deepEqual(await readdir(path.join(dir, 'scores')), ['m1.bin'], 'no temp file is left');
});
