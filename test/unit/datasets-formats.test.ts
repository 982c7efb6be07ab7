// Every format the listing takes reaches the digits path: TensorFlow decodes PNG, JPEG, GIF
// and BMP, sharp transcodes WebP, TIFF (8 and 16 bits) and AVIF first. The same digit in
// each lossless format gives the same stored pixels as its PNG.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { loadDataset } from '../../src/main/engine/datasets/load-dataset.js';
import { imageAt } from '../../src/main/engine/types.js';
import { correlation, mnistDigit, tempDir, writeFile, writeGreyPng } from './datasets-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);
const root = join(tmp.dir, 'digits');
const digit = mnistDigit(0).pixels;
const grey = () => sharp(Buffer.from(digit), { raw: { width: 28, height: 28, channels: 1 } });

before(async () => {
  writeGreyPng(join(root, '7', 'a.png'), digit);
  writeFile(join(root, '7', 'b.webp'), await grey().webp({ lossless: true }).toBuffer());
  writeFile(join(root, '7', 'c.tif'), await grey().toColourspace('b-w').tiff({ compression: 'lzw' }).toBuffer());
  writeFile(join(root, '7', 'd.tiff'), await grey().toColourspace('grey16').tiff({ compression: 'lzw' }).toBuffer());
  writeFile(join(root, '7', 'e.avif'), await grey().avif({ quality: 90 }).toBuffer());
  writeGreyPng(join(root, '2', 'f.png'), mnistDigit(1).pixels);
});

test('WebP, TIFF and AVIF digits are listed and decoded as their PNG is', async () => {
  const ds = await loadDataset(root, { centre: false });
  assert.deepEqual(ds.skipped, []);
  const byPath = new Map(ds.samples.map((s, i) => [s.path, imageAt(ds.pixels, i)]));
  assert.deepEqual([...byPath.keys()].sort(), ['2/f.png', '7/a.png', '7/b.webp', '7/c.tif', '7/d.tiff', '7/e.avif']);
  const png = byPath.get('7/a.png')!;
  for (const lossless of ['7/b.webp', '7/c.tif', '7/d.tiff']) assert.deepEqual(byPath.get(lossless), png, lossless);
  assert.ok(correlation(byPath.get('7/e.avif')!, png) > 0.98, 'AVIF is lossy, and close');
});
