// Manifests in UTF-8 or UTF-16 load; other encodings, over-long paths, oversized API
// payloads and untrainable datasets are refused up front with words that say why.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertTrainable, loadDataset } from '../../src/main/engine/datasets/load-dataset.js';
import { decodeBatchToGrey28 } from '../../src/main/engine/datasets/image-decode.js';
import { isInside, realPath } from '../../src/main/engine/project/path-inside.js';
import { parseCall } from '../../src/shared/api.js';
import { DatasetError, DIGIT_SHAPE, PIXELS_PER_IMAGE, type LoadedDataset } from '../../src/main/engine/types.js';
import { bombPng } from './datasets-bad-files.js';
import { mnistDigit, tempDir, writeFile, writeGreyPng } from './datasets-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);

describe('manifest encodings', () => {
  const root = join(tmp.dir, 'enc');
  writeGreyPng(join(root, 'é.png'), mnistDigit(0).pixels);
  writeGreyPng(join(root, 'b.png'), mnistDigit(1).pixels);
  const text = 'path,label\né.png,café\nb.png,thé\n';
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

  test('UTF-8 with or without a BOM, and UTF-16 LE/BE with a BOM, read the same', async () => {
    const variants = {
      'utf8.csv': Buffer.from(text, 'utf8'),
      'utf8bom.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
      'le.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      'be.csv': Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]),
    };
    for (const [name, bytes] of Object.entries(variants)) {
      const ds = await loadDataset(writeFile(join(root, name), bytes));
      assert.deepEqual(
        ds.samples.map((s) => [s.path, s.label]),
        [
          ['é.png', 'café'],
          ['b.png', 'thé'],
        ],
        name,
      );
    }
  });

  test('UTF-16 without its byte-order mark (NUL bytes) is refused naming the line and the encoding', async () => {
    const bare = writeFile(join(root, 'le-nobom.csv'), Buffer.from(text, 'utf16le'));
    await assert.rejects(
      loadDataset(bare),
      /le-nobom\.csv: line 1 holds a NUL byte \(UTF-16 without a byte-order mark\?\)/,
    );
  });

  test('Latin-1 is refused naming the manifest, the line and the encoding', async () => {
    const latin1 = writeFile(join(root, 'latin1.csv'), Buffer.from('path,label\nb.png,1\né.png,café\n', 'latin1'));
    await assert.rejects(loadDataset(latin1), (e: Error) => {
      assert.ok(e instanceof DatasetError);
      assert.match(e.message, /latin1\.csv: line 3 is not valid UTF-8 .*save the manifest as UTF-8/);
      return true;
    });
  });
});

describe('long paths and payloads', () => {
  test('a 128 KB path is refused at once; ordinary paths resolve as before', () => {
    const long = '/tmp/' + 'a/'.repeat(64 * 1024);
    assert.throws(() => realPath(long), /longer than the 4096-byte limit \(PATH_MAX\)/);
    assert.throws(() => isInside(long, tmp.dir), /4096-byte limit/);
    assert.equal(realPath(join(tmp.dir, 'not', 'yet')), join(realPath(tmp.dir), 'not', 'yet'));
    assert.ok(isInside(join(tmp.dir, 'x', 'y'), tmp.dir));
    assert.ok(!isInside(tmp.dir, join(tmp.dir, 'x')));
  });

  test('the schemas cap paths and strings, and still accept 100,000 journal entries', () => {
    assert.throws(() => parseCall('openDataset', { train: '/' + 'a'.repeat(5000) }), /train: .*4096/);
    assert.throws(() => parseCall('exportDataset', { dir: '/' + 'a'.repeat(5000) }), /dir: /);
    assert.throws(() => parseCall('cancelJob', { jobId: 'j'.repeat(1000) }), /jobId/);
    const entry = (i: number, after: string) => ({
      kind: 'decision',
      entryId: `entry-${String(i).padStart(8, '0')}`,
      batchId: 'batch-0001',
      sampleId: `s${i}`,
      action: 'relabel',
      before: '1',
      after,
      at: '2026-01-01T00:00:00.000Z',
      reviewer: 'r',
    });
    const many = Array.from({ length: 100_000 }, (_, i) => entry(i, '2'));
    assert.equal(
      (parseCall('appendJournal', { entries: many }).params as { entries: unknown[] }).entries.length,
      100_000,
    );
    assert.throws(() => parseCall('appendJournal', { entries: [entry(1, 'x'.repeat(300))] }), /after/);
  });
});

describe('refused before any TensorFlow work', () => {
  const dataset = (labels: (string | null)[]): LoadedDataset => {
    const samples = labels.map((label, i) => ({ id: `id${i}`, path: `p${i}.png`, label, file: null }));
    const classes = [...new Set(labels.filter((l): l is string => l !== null && l !== 'other'))].sort();
    return {
      kind: 'folder',
      root: '/data/ds',
      samples,
      pixels: new Uint8Array(0),
      shape: DIGIT_SHAPE,
      classes,
      copies: [],
      skipped: [],
    };
  };

  test('500 classes of 2 images, or only "other", get a message saying what is missing', () => {
    const tiny = dataset(Array.from({ length: 1000 }, (_, i) => `c${Math.floor(i / 2)}`));
    assert.throws(
      () => assertTrainable(tiny),
      /class 'c\d+' has 2 images and no class has more; each class needs at least 3 so that some can be held out/,
    );
    assert.throws(
      () => assertTrainable(dataset(['other', 'other', null])),
      /\/data\/ds has only 'other' samples: a training set needs labels from at least two known classes/,
    );
    assertTrainable(dataset(['a', 'a', 'a', 'b', 'b']));
  });

  test('a bomb handed to the decoder directly (predictImage) is refused from its header', () => {
    const out = new Uint8Array(PIXELS_PER_IMAGE);
    const failures = decodeBatchToGrey28([{ name: 'image', bytes: bombPng(20000, 20000) }], out);
    assert.equal(failures.length, 1);
    assert.match(failures[0]!.message, /20000 x 20000 pixels, over the 100-megapixel limit/);
  });
});
