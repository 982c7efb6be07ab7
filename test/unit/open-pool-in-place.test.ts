// Opening a training set and an IDX pool reads the pool straight into the engine's pixel
// buffer behind the training pixels (no file-sized copy beside it). The pixels must be
// exactly what reading the files gives, for plain and gzipped pools, with duplicates
// dropped, and a damaged pool still fails with an error naming the file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encodeIdxImages, encodeIdxLabels, readMnistRaw } from '../../src/main/engine/datasets/index.js';
import { openDatasets } from '../../src/main/engine/datasets/open-datasets.js';
import type { OpenSpec } from '../../src/main/engine/engine-types.js';

const root = mkdtempSync(join(tmpdir(), 'unsure-open-in-place-'));
after(() => rmSync(root, { recursive: true, force: true }));

const raw = readMnistRaw('test');
const digits = (start: number, n: number) => raw.pixels.slice(start * 784, (start + n) * 784);

function idxFolder(name: string, pixels: Uint8Array, labels: Uint8Array | null, gz = false): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const n = pixels.length / 784;
  const images = encodeIdxImages(pixels, n, 28, 28);
  writeFileSync(join(dir, `data-images-idx3-ubyte${gz ? '.gz' : ''}`), gz ? gzipSync(images) : images);
  if (labels) writeFileSync(join(dir, 'data-labels-idx1-ubyte'), encodeIdxLabels(labels));
  return dir;
}

const train = idxFolder('train', digits(0, 300), raw.labels.slice(0, 300));

async function open(pool: string, allocate = (n: number) => new Uint8Array(n), log: string[] = []) {
  const spec = { train, pool, projectDir: join(root, 'project') } as OpenSpec;
  return (await openDatasets(spec, allocate, (p) => log.push(p.phase))).result;
}

test('an IDX pool lands behind the training pixels, in the one buffer the engine allocated', async () => {
  const poolPixels = digits(1000, 500);
  const allocated: Uint8Array[] = [];
  const log: string[] = [];
  const r = await open(
    idxFolder('pool', poolPixels, null),
    (n) => {
      const b = new Uint8Array(n);
      allocated.push(b);
      log.push('allocate');
      return b;
    },
    log,
  );
  assert.equal(allocated.length, 1, 'one allocation');
  // Allocated while the pool was read (it was read into it), not after it as a copy.
  assert.ok(log.indexOf('allocate') < log.lastIndexOf('pool'), log.join(' '));
  assert.equal(r.pixels, allocated[0]);
  assert.deepEqual(r.pixels.subarray(0, 300 * 784), digits(0, 300));
  assert.deepEqual(r.pixels.subarray(300 * 784), poolPixels);
  assert.equal(r.samples.length, 800);
  assert.deepEqual(
    r.samples.slice(299, 301).map((s) => [s.split, s.path]),
    [
      ['train', 'idx:299'],
      ['pool', 'idx:0'],
    ],
  );
});

test('a gzipped pool and a pool with duplicates are read and placed as before', async () => {
  const poolPixels = digits(2000, 200);
  const gz = await open(idxFolder('pool-gz', poolPixels, null, true));
  assert.deepEqual(gz.pixels.subarray(300 * 784), poolPixels);

  const withDup = new Uint8Array(201 * 784);
  withDup.set(poolPixels);
  withDup.set(poolPixels.subarray(5 * 784, 6 * 784), 200 * 784); // record 200 repeats record 5
  const dup = await open(idxFolder('pool-dup', withDup, null));
  assert.equal(dup.samples.length, 500);
  assert.equal(dup.pixels.length, 500 * 784);
  assert.deepEqual(dup.pixels.subarray(300 * 784), poolPixels);
  assert.deepEqual(
    dup.copies.map((g) => g.files.map((f) => f.path)),
    [['idx:5', 'idx:200']],
  );
});

test('a truncated or padded IDX pool is an error naming the file', async () => {
  const good = encodeIdxImages(digits(0, 3), 3, 28, 28);
  const short = idxFolder('pool-short', digits(0, 3), null);
  const file = join(short, 'data-images-idx3-ubyte');
  writeFileSync(file, good.subarray(0, good.length - 10));
  await assert.rejects(
    open(short),
    new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is truncated or padded`),
  );
  writeFileSync(file, Buffer.concat([good, Buffer.alloc(3)]));
  await assert.rejects(open(short), /data-images-idx3-ubyte is truncated or padded/);
  writeFileSync(file, good.subarray(0, 9));
  await assert.rejects(open(short), /data-images-idx3-ubyte is too short for its header \(9 bytes\)/);
  assert.equal(readFileSync(file).length, 9, 'the dataset is never written');
});
