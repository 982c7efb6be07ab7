// One hostile file cannot take the machine down, nor reach outside the dataset: each is
// refused before the big read, skipped and named, and the rest of the dataset loads.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadDataset } from '../../src/main/engine/datasets/load-dataset.js';
import { encodeGreyPng } from '../../src/main/engine/datasets/png.js';
import { FileRefusal, readRegularFile } from '../../src/main/engine/datasets/regular-file.js';
import { DatasetError, imageAt } from '../../src/main/engine/types.js';
import { bombPng } from './datasets-bad-files.js';
import { encodeImage, mnistDigit, tempDir, upscale, writeFile, writeGreyPng } from './datasets-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);

/** A class-folder dataset of real digits, three per class. */
function digits(name: string): string {
  const root = join(tmp.dir, name);
  for (let i = 0; i < 6; i++) writeGreyPng(join(root, String(i % 2), `d${i}.png`), mnistDigit(i).pixels);
  return root;
}

const reasonOf = (ds: { skipped: { path: string; reason: string }[] }, path: string) =>
  ds.skipped.find((s) => s.path === path)?.reason ?? `(${path} not skipped)`;

describe('input limits', { timeout: 60_000 }, () => {
  test('a 20000 x 20000 PNG bomb is refused from its header, named, and the rest loads', async () => {
    const root = digits('bomb');
    writeFile(join(root, '1', 'bomb.png'), bombPng(20000, 20000));
    const before = process.memoryUsage().rss;
    const ds = await loadDataset(root);
    assert.equal(ds.samples.length, 6);
    assert.match(reasonOf(ds, '1/bomb.png'), /20000 x 20000 pixels, over the 100-megapixel limit/);
    // Never decoded: 400 million pixels would have cost well over a gigabyte.
    assert.ok(process.memoryUsage().rss - before < 500 * 1024 * 1024);
    await assert.rejects(loadDataset(root, { strict: true }), /1\/bomb\.png: is 20000 x 20000 pixels/);
  });

  test('the pixel and file-size limits are settable', async () => {
    const root = digits('limits');
    writeGreyPng(join(root, '0', 'big.png'), upscale(mnistDigit(9).pixels, 4), 112, 112);
    const ds = await loadDataset(root, { limits: { maxPixels: 100 * 100 } });
    assert.deepEqual(
      ds.skipped.map((s) => s.path),
      ['0/big.png'],
    );
    assert.match(ds.skipped[0]!.reason, /112 x 112 pixels, over the 10000-pixel limit/);
    const tiny = await loadDataset(root, { limits: { maxFileBytes: 400 } });
    assert.ok(tiny.skipped.some((s) => /over the 400 bytes file size limit/.test(s.reason)));
    assert.equal(tiny.samples.length + tiny.skipped.length, 7);
  });

  test('a truncated PNG says so, in words', async () => {
    const root = digits('truncated');
    const png = encodeGreyPng(mnistDigit(7).pixels, 28, 28);
    writeFile(join(root, '0', 'cut.png'), png.subarray(0, png.length - 20));
    const ds = await loadDataset(root);
    assert.match(reasonOf(ds, '0/cut.png'), /truncated or corrupt PNG/);
    assert.doesNotMatch(reasonOf(ds, '0/cut.png'), /TF_Status/);
  });

  test('a link to /dev/zero and a link out of the root are refused without being read', async () => {
    const outside = writeGreyPng(join(tmp.dir, 'outside', 'secret.png'), mnistDigit(11).pixels);
    const root = digits('links');
    symlinkSync('/dev/zero', join(root, '0', 'zero.png'));
    symlinkSync(outside, join(root, '1', 'secret.png'));
    // A link that stays inside is followed, and the sample names the file it reads.
    symlinkSync('../0/d0.png', join(root, '1', 'alias.png'));
    const ds = await loadDataset(root);
    assert.match(reasonOf(ds, '0/zero.png'), /a link that leaves the dataset: -> \/dev\/zero/);
    assert.match(reasonOf(ds, '1/secret.png'), /a link that leaves the dataset: -> .*outside\/secret\.png/);
    const alias = ds.samples.find((s) => s.path === '1/alias.png');
    // Same bytes as 0/d0.png: kept once, as a duplicate.
    assert.equal(alias, undefined);
    assert.deepEqual(
      ds.copies.map((g) => g.files.map((f) => f.path)),
      [['0/d0.png', '1/alias.png']],
    );
    for (const s of ds.samples) assert.equal(s.file, realpathSync(join(root, s.path)));
  });

  test('a CSV manifest row through a link out of its folder is skipped too', async () => {
    const outside = writeGreyPng(join(tmp.dir, 'outside2', 'secret.png'), mnistDigit(12).pixels);
    const root = digits('csv-links');
    symlinkSync(outside, join(root, 'leak.png'));
    const manifest = writeFile(join(root, 'm.csv'), 'path,label\n0/d0.png,0\nleak.png,1\n1/d1.png,1\n');
    const ds = await loadDataset(manifest);
    assert.deepEqual(
      ds.samples.map((s) => s.path),
      ['0/d0.png', '1/d1.png'],
    );
    assert.match(ds.skipped[0]!.path, /m\.csv line 3 \("leak\.png"\)/);
    assert.match(ds.skipped[0]!.reason, /a link that leaves the dataset: -> .*outside2\/secret\.png/);
  });

  test('a FIFO, listed or linked, is refused by stat and never opened (no hang)', async () => {
    const root = digits('fifo');
    execFileSync('mkfifo', [join(root, 'pipe.png')]);
    symlinkSync('../pipe.png', join(root, '0', 'pipe-link.png'));
    execFileSync('mkfifo', [join(root, '1', 'pipe-in-class.png')]);
    const manifest = writeFile(join(root, 'm.csv'), 'path,label\n0/d0.png,0\npipe.png,1\n0/pipe-link.png,0\n');
    const ds = await loadDataset(manifest);
    assert.equal(ds.samples.length, 1);
    assert.equal(ds.skipped.length, 2);
    for (const s of ds.skipped) assert.match(s.reason, /is a FIFO \(named pipe\), not a regular file/);
    const folder = await loadDataset(root);
    assert.match(reasonOf(folder, '0/pipe-link.png'), /FIFO/);
    assert.match(reasonOf(folder, '1/pipe-in-class.png'), /FIFO/);
  });

  test('readRegularFile refuses devices and folders, and reads files whole', async () => {
    await assert.rejects(
      readRegularFile('/dev/zero', 1e9),
      (e: Error) => e instanceof FileRefusal && /a device/.test(e.message),
    );
    await assert.rejects(readRegularFile(tmp.dir, 1e9), /is a folder, not a regular file/);
    const f = writeFile(join(tmp.dir, 'plain.bin'), Buffer.alloc(5000, 3));
    assert.equal((await readRegularFile(f, 5000)).length, 5000);
    await assert.rejects(readRegularFile(f, 4999), /over the 4999 bytes file size limit/);
  });

  test('nothing usable left fails, naming the files', async () => {
    const root = join(tmp.dir, 'all-bad');
    mkdirSync(join(root, '0'), { recursive: true });
    writeFile(join(root, '0', 'a.png'), 'not an image');
    symlinkSync('/dev/zero', join(root, '0', 'b.png'));
    await assert.rejects(loadDataset(root), (e: Error) => {
      assert.ok(e instanceof DatasetError);
      assert.match(
        e.message,
        /No usable image in .*all-bad: 2 unreadable or corrupt images .*0\/a\.png: .*0\/b\.png: a link/,
      );
      return true;
    });
  });

  test('a big photo is scaled down as it is read and keeps its content', async () => {
    const root = digits('photo');
    const digit = mnistDigit(20).pixels;
    const big = upscale(digit, 60); // 1680 x 1680
    writeFile(join(root, '0', 'photo.jpg'), await encodeImage(big, 1680, 1680, 1, 'jpeg'));
    writeGreyPng(join(root, '1', 'small.png'), digit);
    const ds = await loadDataset(root, { centre: false });
    assert.equal(ds.skipped.length, 0);
    const at = (p: string) =>
      imageAt(
        ds.pixels,
        ds.samples.findIndex((s) => s.path === p),
      );
    const a = at('0/photo.jpg');
    const b = at('1/small.png');
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
    assert.ok(diff / a.length < 25, `mean difference ${diff / a.length}`);
  });
});
