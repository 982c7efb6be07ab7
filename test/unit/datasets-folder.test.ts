import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadDataset } from '../../src/main/engine/datasets/load-dataset.js';
import { sampleId } from '../../src/main/engine/datasets/sample-id.js';
import {
  centreOfMass,
  correlation,
  encodeImage,
  imageAt,
  mnistDigit,
  tempDir,
  upscale,
  writeFile,
  writeGreyPng,
} from './datasets-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);

describe('class folders', () => {
  const root = join(tmp.dir, 'classes');
  // MNIST test digits 3 ('0'), 2 ('1'), 1 ('2'), 0 ('7'), 4 ('4').
  before(() => {
    writeGreyPng(join(root, '2', 'a.png'), mnistDigit(1).pixels);
    writeGreyPng(join(root, '10', 'nested', 'deeper', 'b.png'), mnistDigit(2).pixels);
    writeGreyPng(join(root, '10', 'c.png'), mnistDigit(3).pixels);
    writeGreyPng(join(root, 'other', 'x.png'), mnistDigit(4).pixels);
    writeGreyPng(join(root, 'loose.png'), mnistDigit(0).pixels);
    writeGreyPng(join(root, 'unlabeled', 'u.png'), mnistDigit(6).pixels);
    writeFile(join(root, 'README.txt'), 'not an image');
    writeFile(join(root, '.DS_Store'), 'junk');
    writeFile(join(root, 'empty-class', 'notes.txt'), 'no images here');
  });

  test('subfolders are classes, other is the other class, root and unlabeled/ images are unlabeled', async () => {
    const ds = await loadDataset(root, { centre: false });
    assert.equal(ds.kind, 'folder');
    assert.equal(ds.root, root);
    assert.deepEqual(ds.classes, ['2', '10']);
    assert.deepEqual(
      ds.samples.map((s) => [s.path, s.label]),
      [
        ['2/a.png', '2'],
        ['10/c.png', '10'],
        ['10/nested/deeper/b.png', '10'],
        ['loose.png', null],
        ['other/x.png', 'other'],
        ['unlabeled/u.png', null],
      ],
    );
    assert.equal(ds.samples[0]!.file, join(root, '2', 'a.png'));
    assert.equal(ds.samples[0]!.origin, undefined);
    // A 28x28 grey PNG of an MNIST digit comes back byte for byte.
    assert.deepEqual(imageAt(ds.pixels, 0), mnistDigit(1).pixels);
    assert.deepEqual(imageAt(ds.pixels, 3), mnistDigit(0).pixels);
  });

  test("ids are the hash of the file's bytes and survive a rename", async () => {
    const before = await loadDataset(root);
    const sample = before.samples.find((s) => s.path === '2/a.png')!;
    assert.equal(sample.id, sampleId(readFileSync(join(root, '2', 'a.png'))));
    renameSync(join(root, '2', 'a.png'), join(root, '2', 'renamed.png'));
    try {
      const afterRename = await loadDataset(root);
      const moved = afterRename.samples.find((s) => s.path === '2/renamed.png')!;
      assert.equal(moved.id, sample.id);
    } finally {
      renameSync(join(root, '2', 'renamed.png'), join(root, '2', 'a.png'));
    }
  });

  test('identical files: one sample (pixels once), every file listed; differing labels are a conflict', async () => {
    const dupRoot = join(tmp.dir, 'dups');
    writeGreyPng(join(dupRoot, '3', 'one.png'), mnistDigit(18).pixels);
    writeGreyPng(join(dupRoot, '5', 'two.png'), mnistDigit(8).pixels);
    copyFileSync(join(dupRoot, '3', 'one.png'), join(dupRoot, '5', 'copy.png'));
    copyFileSync(join(dupRoot, '3', 'one.png'), join(dupRoot, 'pool.png'));
    const ds = await loadDataset(dupRoot);
    assert.deepEqual(
      ds.samples.map((s) => s.path),
      ['3/one.png', '5/two.png'],
    );
    assert.deepEqual(
      ds.copies.map((g) => [g.sample, g.conflict, g.files.map((f) => [f.path, f.label, f.at])]),
      [
        [
          0,
          true,
          [
            ['3/one.png', '3', 0],
            ['5/copy.png', '5', 1],
            ['pool.png', null, 3],
          ],
        ],
      ],
    );
    assert.equal(ds.samples[0]!.label, null);
    assert.equal(ds.samples[1]!.label, '5');
    assert.equal(ds.pixels.length, 2 * 784);
    assert.deepEqual(imageAt(ds.pixels, 1), mnistDigit(8).pixels);
  });

  test('progress is reported up to the file count', async () => {
    const calls: [number, number][] = [];
    await loadDataset(root, { onProgress: (d, t) => calls.push([d, t]) });
    assert.deepEqual(calls.at(0), [0, 6]);
    assert.deepEqual(calls.at(-1), [6, 6]);
  });
});

describe('images of every kind become 28x28 grey, light ink on dark', () => {
  const digit = mnistDigit(0).pixels; // a '7'

  test('a flat folder of images is an unlabeled pool; a subfolder of images makes it class folders', async () => {
    const flat = join(tmp.dir, 'flat');
    writeGreyPng(join(flat, 'img10.png'), mnistDigit(5).pixels);
    writeGreyPng(join(flat, 'img9.png'), digit);
    const pool = await loadDataset(flat);
    assert.equal(pool.kind, 'images');
    assert.deepEqual(
      pool.samples.map((s) => [s.path, s.label]),
      [
        ['img9.png', null],
        ['img10.png', null],
      ],
    );
    assert.deepEqual(pool.classes, []);

    writeGreyPng(join(flat, '7', 'seven.png'), mnistDigit(17).pixels);
    const labeled = await loadDataset(flat);
    assert.equal(labeled.kind, 'folder');
    assert.deepEqual(
      labeled.samples.map((s) => [s.path, s.label]),
      [
        ['7/seven.png', '7'],
        ['img9.png', null],
        ['img10.png', null],
      ],
    );
  });

  test('black ink on white paper is inverted', async () => {
    const root = join(tmp.dir, 'inverted');
    writeGreyPng(
      join(root, 'paper.png'),
      digit.map((v) => 255 - v),
    );
    const ds = await loadDataset(root, { centre: false });
    assert.deepEqual(imageAt(ds.pixels, 0), digit);
  });

  test('a large RGB JPEG on grey-white paper, a wide RGBA PNG and a grey+alpha PNG all read as the digit', async () => {
    const root = join(tmp.dir, 'mixed');
    const big = upscale(digit, 12); // 336x336
    const size = 336;
    // Dark blue ink on off-white paper, as a photo or a scan.
    const rgb = new Uint8Array(size * size * 3);
    for (let i = 0; i < size * size; i++) {
      const ink = big[i]! / 255;
      rgb[3 * i] = Math.round(235 - 215 * ink);
      rgb[3 * i + 1] = Math.round(235 - 205 * ink);
      rgb[3 * i + 2] = Math.round(230 - 120 * ink);
    }
    writeFile(join(root, 'scan.jpg'), await encodeImage(rgb, size, size, 3, 'jpeg'));

    // 56 wide x 28 high: the digit centred, black ink on a transparent canvas.
    const rgba = new Uint8Array(28 * 56 * 4);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) rgba[(y * 56 + x + 14) * 4 + 3] = digit[y * 28 + x]!;
    }
    writeFile(join(root, 'wide.png'), await encodeImage(rgba, 28, 56, 4, 'png'));

    // White ink on a transparent canvas, grey + alpha channels.
    const ga = new Uint8Array(28 * 28 * 2);
    for (let i = 0; i < 784; i++) {
      ga[2 * i] = 255;
      ga[2 * i + 1] = digit[i]!;
    }
    writeFile(join(root, 'grey-alpha.png'), await encodeImage(ga, 28, 28, 2, 'png'));

    // A 336 px colour scan alone would take the photo path (choose-arch.ts): the digits
    // recipe is what this test reads them with.
    const ds = await loadDataset(root, { arch: 'cnn' });
    assert.equal(ds.kind, 'images');
    const greyAlpha = imageAt(
      ds.pixels,
      ds.samples.findIndex((s) => s.path === 'grey-alpha.png'),
    );
    assert.ok(correlation(greyAlpha, digit) > 0.99, `grey+alpha correlation ${correlation(greyAlpha, digit)}`);
    const scan = imageAt(
      ds.pixels,
      ds.samples.findIndex((s) => s.path === 'scan.jpg'),
    );
    assert.ok(correlation(scan, digit) > 0.9, `scan correlation ${correlation(scan, digit)}`);
    assert.ok(Math.max(...scan) >= 250, 'ink stretched to full brightness');
    assert.ok(scan[0]! < 10 && scan[783]! < 10, 'paper became a dark background');

    // The wide image is padded to a square (56x56) and halved: the digit at half size, centred.
    const wide = imageAt(
      ds.pixels,
      ds.samples.findIndex((s) => s.path === 'wide.png'),
    );
    const [cx, cy] = centreOfMass(wide);
    assert.ok(Math.abs(cx - 14) <= 0.5 && Math.abs(cy - 14) <= 0.5, `centre ${cx},${cy}`);
    assert.ok(Math.max(...wide) > 200);
    assert.equal(wide[0], 0);
  });

  test('images are centred by mass like MNIST, without pushing ink out of the frame', async () => {
    const root = join(tmp.dir, 'offcentre');
    const shifted = new Uint8Array(784);
    for (let y = 0; y < 28; y++) for (let x = 5; x < 28; x++) shifted[y * 28 + x] = digit[y * 28 + x - 5]!;
    writeGreyPng(join(root, 'right.png'), shifted);
    const ds = await loadDataset(root);
    const [cx, cy] = centreOfMass(imageAt(ds.pixels, 0));
    assert.ok(Math.abs(cx - 14) <= 0.5 && Math.abs(cy - 14) <= 0.5, `centre ${cx},${cy}`);
    const inkBefore = shifted.reduce((a, v) => a + v, 0);
    const inkAfter = imageAt(ds.pixels, 0).reduce((a, v) => a + v, 0);
    assert.equal(inkAfter, inkBefore);
  });
});
