import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertTrainable, loadDataset } from '../../src/main/engine/datasets/load-dataset.js';
import { encodeGreyPng } from '../../src/main/engine/datasets/png.js';
import { DatasetError } from '../../src/main/engine/types.js';
import { mnistDigit, tempDir, writeFile, writeGreyPng } from './datasets-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);

async function rejectsWith(path: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadDataset(path), (err: Error) => {
    assert.ok(err instanceof DatasetError, `expected a DatasetError, got ${err.name}: ${err.message}`);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('bad input is a DatasetError that names the file', () => {
  test('a missing path', async () => {
    await rejectsWith(join(tmp.dir, 'nowhere'), /Dataset not found: .*nowhere does not exist/);
  });

  test('an empty folder, or one with nothing readable', async () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    await rejectsWith(empty, /Folder .*empty is empty of data/);
    const junk = join(tmp.dir, 'junk');
    writeFile(join(junk, 'notes.txt'), 'hello');
    writeFile(join(junk, 'sub', 'more.txt'), 'hello');
    await rejectsWith(junk, /Folder .*junk is empty of data/);
  });

  test('a single image, an archive or an unknown file instead of a dataset', async () => {
    const png = writeGreyPng(join(tmp.dir, 'single.png'), mnistDigit(0).pixels);
    await rejectsWith(png, /single\.png is a single image: open the folder/);
    const txt = writeFile(join(tmp.dir, 'data.txt'), 'x');
    await rejectsWith(txt, /data\.txt is not a dataset/);
    const zip = writeFile(join(tmp.dir, 'pets.tar.gz'), 'x');
    await rejectsWith(zip, /pets\.tar\.gz is an archive: unpack it, then open the folder it holds/);
  });

  test('corrupt, truncated and empty images are skipped and listed, each by its path; strict mode fails', async () => {
    const root = join(tmp.dir, 'corrupt');
    writeGreyPng(join(root, '1', 'good.png'), mnistDigit(2).pixels);
    writeGreyPng(join(root, '2', 'good.png'), mnistDigit(1).pixels);
    writeFile(join(root, '1', 'garbage.png'), 'this is not a png at all');
    writeFile(join(root, '2', 'truncated.png'), encodeGreyPng(mnistDigit(1).pixels, 28, 28).subarray(0, 60));
    writeFile(join(root, '2', 'zero.jpg'), new Uint8Array(0));
    const ds = await loadDataset(root);
    assert.deepEqual(
      ds.samples.map((s) => s.path),
      ['1/good.png', '2/good.png'],
    );
    assert.deepEqual(
      ds.skipped.map((s) => s.path),
      ['1/garbage.png', '2/truncated.png', '2/zero.jpg'],
    );
    assert.match(ds.skipped[0]!.reason, /is not a PNG, JPEG, WebP, GIF, TIFF, AVIF or BMP image/);
    assert.match(ds.skipped[1]!.reason, /truncated or corrupt PNG/);
    assert.match(ds.skipped[2]!.reason, /empty file/);
    await assert.rejects(loadDataset(root, { strict: true }), (err: Error) => {
      assert.ok(err instanceof DatasetError, `${err.name}: ${err.message}`);
      assert.match(err.message, /^3 unreadable or corrupt images in .*corrupt: /);
      assert.match(err.message, /1\/garbage\.png: /);
      assert.match(err.message, /2\/truncated\.png: /);
      assert.match(err.message, /2\/zero\.jpg: /);
      assert.doesNotMatch(err.message, /good\.png/);
      return true;
    });
  });

  test('an unreadable file is named', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, async () => {
    const { chmodSync } = await import('node:fs');
    const root = join(tmp.dir, 'locked');
    const file = writeGreyPng(join(root, 'a.png'), mnistDigit(0).pixels);
    chmodSync(file, 0o000);
    // Nothing usable remains, so the load fails, naming the file.
    await rejectsWith(root, /No usable image in .*a\.png: cannot be read \(EACCES\)/);
  });
});

describe('assertTrainable', () => {
  test('a single class or no labels is refused for training, two classes pass', async () => {
    const one = join(tmp.dir, 'one-class');
    writeGreyPng(join(one, '3', 'a.png'), mnistDigit(18).pixels);
    writeGreyPng(join(one, 'other', 'b.png'), mnistDigit(4).pixels);
    const ds = await loadDataset(one);
    assert.deepEqual(ds.classes, ['3']);
    assert.throws(
      () => assertTrainable(ds),
      (err: Error) => err instanceof DatasetError && /one-class has a single class \('3'\)/.test(err.message),
    );
    // A class whose only files are label conflicts is named, not silently missing.
    const conflicted = join(tmp.dir, 'conflicted');
    writeGreyPng(join(conflicted, '3', 'a.png'), mnistDigit(18).pixels);
    writeGreyPng(join(conflicted, '7', 'same.png'), mnistDigit(0).pixels);
    writeGreyPng(join(conflicted, '3', 'same.png'), mnistDigit(0).pixels);
    const lost = await loadDataset(conflicted);
    assert.throws(
      () => assertTrainable(lost),
      /single class \('3'\): .* \('7' is given only to label conflicts: identical files with different labels/,
    );

    const unlabeled = join(tmp.dir, 'unlabeled');
    writeGreyPng(join(unlabeled, 'a.png'), mnistDigit(0).pixels);
    assert.throws(
      () => assertTrainable({ ...ds, classes: [], samples: ds.samples.filter((s) => s.label === 'other') }),
      /one-class has only 'other' samples: a training set needs labels from at least two known classes/,
    );
    const pool = await loadDataset(unlabeled);
    assert.throws(() => assertTrainable(pool), /unlabeled has no labeled samples/);

    writeGreyPng(join(one, '5', 'c.png'), mnistDigit(8).pixels);
    // Two classes of one image each: nothing can be held out.
    assert.throws(
      () => assertTrainable(ds && { ...ds, classes: ['3', '5'] }),
      /class '3' has 1 image and no class has more; each class needs at least 3/,
    );
    writeGreyPng(join(one, '3', 'd.png'), mnistDigit(30).pixels);
    writeGreyPng(join(one, '3', 'e.png'), mnistDigit(32).pixels);
    assertTrainable(await loadDataset(one));
  });
});
