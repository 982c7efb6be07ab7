// The rule that picks the model family from the data, on real files: MNIST digits (grey,
// 28 x 28, also saved as RGB PNGs and JPEGs that are grey in fact) take the small CNN; colour
// photos, or grey images over 64 px a side, take the pretrained backbone. Overrides say both.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { bmpOf, colourJpeg, digit, digitPng, gradientRgb, jpegOf, put, sharpRaw } from '../bad-input/images.js';
import { chooseArch, type ImageProbe } from '../../src/main/engine/datasets/choose-arch.js';
import { probeImages, spread } from '../../src/main/engine/datasets/photo-probe.js';
import type { PhotoFile } from '../../src/main/engine/datasets/photo-decode.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir('unsure-probe-');
after(() => tmp.cleanup());

const file = (rel: string, bytes: Uint8Array): PhotoFile => ({ file: put(join(tmp.dir, rel), bytes), name: rel });

/** A digit as three equal channels: an RGB file whose pixels are all grey. */
function digitRgb(d: number, k: number): Buffer {
  const g = digit(d, k);
  const rgb = Buffer.alloc(28 * 28 * 3);
  g.forEach((v, i) => rgb.fill(v, i * 3, i * 3 + 3));
  return rgb;
}

describe('probeImages and chooseArch', () => {
  test('grey digits (grey PNG, RGB PNG and JPEG that are grey in fact, BMP): the small CNN', async () => {
    const files: PhotoFile[] = [];
    for (let k = 0; k < 4; k++) files.push(file(`digits/png/${k}.png`, digitPng(k, 0)));
    files.push(file('digits/rgb.png', await sharpRaw(digitRgb(5, 0), 28, 28).png().toBuffer()));
    files.push(file('digits/rgb.jpg', await jpegOf(digitRgb(6, 0), 28, 28, 3)));
    files.push(file('digits/rgb.bmp', bmpOf(digitRgb(7, 0), 28, 28)));
    const probe = await probeImages(files);
    assert.deepEqual(probe.failures, []);
    assert.equal(probe.images.length, files.length);
    assert.ok(probe.images.every((i) => i.grey === true && i.width === 28 && i.height === 28));
    assert.deepEqual(chooseArch(probe), { arch: 'cnn', reason: '28 x 28 grey images: the small CNN' });
  });

  test('colour photos of several sizes: the pretrained backbone', async () => {
    const files = [
      file('pets/a.jpg', await colourJpeg(500, 375)),
      file('pets/b.jpg', await colourJpeg(320, 240)),
      file('pets/c.png', await sharpRaw(gradientRgb(32, 32), 32, 32).png().toBuffer()),
    ];
    const probe = await probeImages(files);
    assert.equal(probe.images.find((i) => i.index === 2)?.grey, false, 'the small colour PNG was decoded and seen');
    const choice = chooseArch(probe);
    assert.equal(choice.arch, 'backbone');
    assert.equal(choice.reason, 'Colour images up to 500 x 375 (over 64 px a side): the pretrained backbone');
  });

  test('small colour images (CIFAR-like 32 x 32) take the backbone; one colour file among digits is enough', async () => {
    const files = [file('mix/0.png', digitPng(0, 1)), file('mix/c.jpg', await colourJpeg(32, 32))];
    const choice = chooseArch(await probeImages(files));
    assert.equal(choice.arch, 'backbone');
    assert.match(choice.reason, /^Colour images up to 32 x 32: the pretrained backbone$/);
  });

  test('grey images over 64 px a side: the backbone, and the reason says why', async () => {
    const big = await sharpRaw(Buffer.alloc(100 * 80, 90), 100, 80, 1)
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const choice = chooseArch(await probeImages([file('scans/big.png', big)]));
    assert.deepEqual(choice, {
      arch: 'backbone',
      reason: '100 x 80 grey images (over 64 px a side): the pretrained backbone',
    });
  });

  test('small grey photos (no plain background) take the backbone; digits drawn in alpha are plain', async () => {
    // A grey photo's levels spread wide: no band of 17 grey levels holds 30% of its pixels.
    const photo = (seed: number) => {
      const g = Buffer.alloc(32 * 32);
      for (let i = 0; i < g.length; i++) g[i] = (((i % 32) * 7 + Math.floor(i / 32) * 5 + seed * 31) * 13) % 256;
      return sharpRaw(g, 32, 32, 1).toColourspace('b-w').png().toBuffer();
    };
    const photos = [file('grey/a.png', await photo(1)), file('grey/b.png', await photo(2))];
    const probe = await probeImages(photos);
    assert.ok(probe.images.every((i) => i.grey === true && i.plain === false));
    assert.deepEqual(chooseArch(probe), {
      arch: 'backbone',
      reason: '32 x 32 grey images with no plain background (photos, not drawn marks): the pretrained backbone',
    });
    // Black ink whose shape is all in the alpha channel: the RGB is one colour, the alpha is the digit.
    const ink = digit(3, 0);
    const rgba = Buffer.alloc(28 * 28 * 4);
    ink.forEach((v, i) => (rgba[i * 4 + 3] = v));
    const drawn = file('alpha/3.png', await sharpRaw(rgba, 28, 28, 4).png().toBuffer());
    const digits = [drawn, file('alpha/d.png', digitPng(4, 0)), photos[0]!];
    const mixed = await probeImages(digits);
    assert.deepEqual(
      mixed.images.map((i) => i.plain),
      [true, true, false],
    );
    assert.equal(chooseArch(mixed).arch, 'cnn', 'two of three drawn: the small CNN');
  });

  test('a bad file in the spread is reported, not fatal', async () => {
    const files = [file('bad/ok.png', digitPng(1, 2)), file('bad/notes.png', Buffer.from('not an image'))];
    const probe = await probeImages(files);
    assert.equal(probe.images.length, 1);
    assert.equal(probe.failures[0]?.index, 1);
    assert.match(probe.failures[0]!.reason, /is not a PNG, JPEG/);
    assert.equal(chooseArch(probe).arch, 'cnn');
  });

  test('the override wins and the reason says what the data alone would take', () => {
    const probe: ImageProbe = {
      images: [{ index: 0, width: 28, height: 28, channels: 1, grey: true, plain: true }],
      failures: [],
    };
    assert.deepEqual(chooseArch(probe, 'backbone'), {
      arch: 'backbone',
      reason: 'The pretrained backbone, as chosen (the data alone would take the small CNN: 28 x 28 grey images)',
    });
    assert.equal(chooseArch(probe, 'cnn').arch, 'cnn');
    assert.equal(chooseArch({ images: [], failures: [] }).arch, 'backbone');
  });

  test('spread: at most max indices, evenly over the files, all when fewer', () => {
    assert.deepEqual(spread(5, 48), [0, 1, 2, 3, 4]);
    assert.deepEqual(spread(100, 4), [12, 37, 62, 87]);
    assert.deepEqual(spread(0, 48), []);
  });
});
