// The photo path on real files of every kind it reads, made by sharp in a temp dir (BMP by
// hand, which libvips cannot write or read): formats, orientation, alpha, 16-bit, palette,
// CMYK, animation, the three resize policies, several targets from one read, file order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { bmpOf, colourJpeg, gradientRgb, put, redBlueRgb, sharpRaw } from '../bad-input/images.js';
import { decodePhotos, type PhotoTarget } from '../../src/main/engine/datasets/photo-decode.js';
import { sampleId } from '../../src/main/engine/datasets/sample-id.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir('unsure-photo-');
after(() => tmp.cleanup());

const BG: [number, number, number] = [10, 200, 30];
const rgbAt = (w: number, h: number, resize: PhotoTarget['resize'] = 'stretch'): PhotoTarget => ({
  height: h,
  width: w,
  channels: 3,
  resize,
  background: BG,
});

async function decodeOne(name: string, bytes: Uint8Array, target: PhotoTarget) {
  const file = put(join(tmp.dir, name), bytes);
  const got = await decodePhotos([{ file, name }], [target]);
  assert.deepEqual(got.failures, [], `${name}: ${got.failures[0]?.reason}`);
  return { pixels: got.outputs[0]!, native: got.native[0]! };
}

function px(data: Uint8Array, w: number, x: number, y: number, c = 3): number[] {
  return Array.from(data.subarray((y * w + x) * c, (y * w + x + 1) * c));
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

const RED = (p: number[]) => p[0]! > 180 && p[1]! < 80 && p[2]! < 80;
const BLUE = (p: number[]) => p[2]! > 180 && p[0]! < 80 && p[1]! < 80;

describe('formats', () => {
  const [w, h] = [48, 32];
  const gradient = gradientRgb(w, h);

  test('8-bit RGB PNG at its own size: the same bytes', async () => {
    const got = await decodeOne('rgb.png', await sharpRaw(gradient, w, h).png().toBuffer(), rgbAt(w, h));
    assert.deepEqual(got.native, { width: w, height: h, channels: 3 });
    assert.deepEqual(got.pixels, new Uint8Array(gradient));
  });

  test('16-bit RGB PNG: 8-bit values, the same picture', async () => {
    const png16 = await sharpRaw(gradient, w, h).toColourspace('rgb16').png().toBuffer();
    assert.equal((await sharp(png16).metadata()).depth, 'ushort');
    const got = await decodeOne('deep.png', png16, rgbAt(w, h));
    assert.deepEqual(got.pixels, new Uint8Array(gradient));
  });

  test('palette PNG: its colours, as RGB', async () => {
    const four = Buffer.alloc(w * h * 3);
    const colours = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [250, 250, 250],
    ];
    for (let i = 0; i < w * h; i++) four.set(colours[Math.floor(i / w) % 4]!, i * 3);
    const png = await sharpRaw(four, w, h).png({ palette: true, colours: 4, dither: 0 }).toBuffer();
    assert.equal((await sharp(png).metadata()).isPalette, true);
    const got = await decodeOne('palette.png', png, rgbAt(w, h));
    assert.ok(meanAbsDiff(got.pixels, four) < 1, `mean difference ${meanAbsDiff(got.pixels, four)}`);
  });

  test('RGBA PNG: transparent pixels become the background, opaque ones keep their colour', async () => {
    const rgba = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set(i % w < w / 2 ? [255, 0, 0, 255] : [255, 255, 255, 0], i * 4);
    const got = await decodeOne('alpha.png', await sharpRaw(rgba, w, h, 4).png().toBuffer(), rgbAt(w, h));
    assert.equal(got.native.channels, 4);
    assert.deepEqual(px(got.pixels, w, 2, 5), [255, 0, 0]);
    assert.deepEqual(px(got.pixels, w, w - 3, 5), BG);
  });

  test('grey PNG: R = G = B for an RGB target, the same values for a grey one', async () => {
    const grey = Buffer.from(Array.from({ length: w * h }, (_, i) => (i * 7) % 256));
    const png = await sharpRaw(grey, w, h, 1).toColourspace('b-w').png().toBuffer();
    const rgb = await decodeOne('grey.png', png, rgbAt(w, h));
    assert.equal(rgb.native.channels, 1);
    assert.deepEqual(px(rgb.pixels, w, 5, 3), [grey[3 * w + 5]!, grey[3 * w + 5]!, grey[3 * w + 5]!]);
    const one = await decodeOne('grey1.png', png, { ...rgbAt(w, h), channels: 1 });
    assert.deepEqual(one.pixels, new Uint8Array(grey));
    const fit = await decodeOne('grey-fit.png', png, rgbAt(32, 32, 'fit'));
    assert.deepEqual(px(fit.pixels, 32, 16, 1), BG, 'the padding of a grey file is the colour background');
  });

  test('grey + alpha PNG: transparent pixels become the background, for grey and RGB targets', async () => {
    const la = Buffer.alloc(w * h * 2);
    for (let i = 0; i < w * h; i++) la.set(i % w < w / 2 ? [77, 255] : [200, 0], i * 2);
    const png = await sharpRaw(la, w, h, 2).toColourspace('b-w').png().toBuffer();
    assert.equal((await sharp(png).metadata()).channels, 2);
    const rgb = await decodeOne('grey-alpha.png', png, rgbAt(w, h));
    assert.equal(rgb.native.channels, 2);
    assert.deepEqual(px(rgb.pixels, w, 2, 2), [77, 77, 77]);
    assert.deepEqual(px(rgb.pixels, w, w - 2, 2), BG);
    const one = await decodeOne('grey-alpha1.png', png, { ...rgbAt(w, h), channels: 1 });
    assert.equal(one.pixels[2 * w + 2], 77);
    const [bgGrey] = await sharpRaw(Buffer.from(BG), 1, 1).toColourspace('b-w').raw().toBuffer();
    assert.equal(one.pixels[2 * w + w - 2], bgGrey);
  });

  test('TIFF (LZW): the same bytes', async () => {
    const tiff = await sharpRaw(gradient, w, h).tiff({ compression: 'lzw' }).toBuffer();
    const got = await decodeOne('scan.tiff', tiff, rgbAt(w, h));
    assert.deepEqual(got.pixels, new Uint8Array(gradient));
  });

  test('progressive JPEG: close to the picture it was made from', async () => {
    const jpg = await colourJpeg(w, h, true);
    assert.equal((await sharp(jpg).metadata()).isProgressive, true);
    const got = await decodeOne('progressive.jpg', jpg, rgbAt(w, h));
    assert.ok(meanAbsDiff(got.pixels, gradient) < 4, `mean difference ${meanAbsDiff(got.pixels, gradient)}`);
  });

  test('CMYK JPEG: converted to sRGB (red stays red, blue stays blue)', async () => {
    const cmyk = await sharpRaw(redBlueRgb(w, h), w, h).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    assert.equal((await sharp(cmyk).metadata()).space, 'cmyk');
    const got = await decodeOne('cmyk.jpg', cmyk, rgbAt(w, h));
    assert.equal(got.native.channels, 4);
    // Through a CMYK profile and back the blue is less saturated, but blue it stays.
    const [left, right] = [px(got.pixels, w, 4, 4), px(got.pixels, w, w - 4, 4)];
    assert.ok(left[0]! > left[1]! + 100 && left[0]! > left[2]! + 100, `left ${left}`);
    assert.ok(right[2]! > right[0]! + 60 && right[2]! > right[1]! + 60, `right ${right}`);
  });

  test('EXIF orientation 6: the stored 40 x 20 image comes out rotated, 20 x 40, its left side on top', async () => {
    const jpg = await sharpRaw(redBlueRgb(40, 20), 40, 20)
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const got = await decodeOne('rotated.jpg', jpg, rgbAt(20, 40));
    assert.deepEqual(got.native, { width: 20, height: 40, channels: 3 });
    assert.ok(RED(px(got.pixels, 20, 10, 3)), `top ${px(got.pixels, 20, 10, 3)}`);
    assert.ok(BLUE(px(got.pixels, 20, 10, 36)), `bottom ${px(got.pixels, 20, 10, 36)}`);
  });

  test('lossless WebP: the same bytes', async () => {
    const webp = await sharpRaw(gradient, w, h).webp({ lossless: true }).toBuffer();
    const got = await decodeOne('lossless.webp', webp, rgbAt(w, h));
    assert.deepEqual(got.pixels, new Uint8Array(gradient));
  });

  test('animated GIF and WebP: the first frame only', async () => {
    const first = await sharpRaw(redBlueRgb(w, h), w, h).png().toBuffer();
    const second = await sharpRaw(Buffer.from(redBlueRgb(w, h).map((v) => 255 - v)), w, h)
      .png()
      .toBuffer();
    const gif = await sharp([first, second], { join: { animated: true } })
      .gif()
      .toBuffer();
    assert.equal((await sharp(gif).metadata()).pages, 2);
    const got = await decodeOne('animated.gif', gif, rgbAt(w, h));
    assert.deepEqual(got.native, { width: w, height: h, channels: 4 });
    assert.deepEqual(px(got.pixels, w, 3, 3), [255, 0, 0]);
    assert.deepEqual(px(got.pixels, w, w - 3, 3), [0, 0, 255]);
    const webp = await sharp([first, second], { join: { animated: true } })
      .webp({ lossless: true })
      .toBuffer();
    assert.equal((await sharp(webp).metadata()).pages, 2);
    const still = await decodeOne('animated.webp', webp, rgbAt(w, h));
    assert.deepEqual(still.native.width, w);
    assert.deepEqual(px(still.pixels, w, 3, 3), [255, 0, 0]);
    assert.deepEqual(px(still.pixels, w, w - 3, 3), [0, 0, 255]);
  });

  test('BMP (through TensorFlow, then sharp): the same bytes, resized like any other', async () => {
    const bmp = bmpOf(gradient, w, h);
    const got = await decodeOne('plain.bmp', bmp, rgbAt(w, h));
    assert.deepEqual(got.native, { width: w, height: h, channels: 3 });
    assert.deepEqual(got.pixels, new Uint8Array(gradient));
    const fit = await decodeOne('plain-fit.bmp', bmp, rgbAt(32, 32, 'fit'));
    assert.deepEqual(px(fit.pixels, 32, 16, 1), BG);
  });

  test('a 3000 x 2000 JPEG to 224 x 224 (shrink-on-load): the picture, not a refusal', async () => {
    const big = await colourJpeg(3000, 2000);
    const got = await decodeOne('big.jpg', big, rgbAt(224, 224));
    assert.deepEqual(got.native, { width: 3000, height: 2000, channels: 3 });
    const expected = await sharpRaw(gradientRgb(224, 224), 224, 224).raw().toBuffer();
    assert.ok(meanAbsDiff(got.pixels, expected) < 6, `mean difference ${meanAbsDiff(got.pixels, expected)}`);
  });
});

describe('resize policies (a 40 x 20 red | blue image into 32 x 32)', () => {
  let png: Buffer;
  const decode = async (resize: PhotoTarget['resize'], channels: 1 | 3 = 3) => {
    png ??= await sharpRaw(redBlueRgb(40, 20), 40, 20).png().toBuffer();
    return (await decodeOne(`policy-${resize}-${channels}.png`, png, { ...rgbAt(32, 32, resize), channels })).pixels;
  };

  test('fit: the whole image, aspect kept (32 x 16), padded above and below with the background', async () => {
    const out = await decode('fit');
    for (let y = 0; y < 32; y++) {
      const pad = y < 8 || y >= 24;
      for (const x of [0, 5, 26, 31]) {
        const p = px(out, 32, x, y);
        if (pad) assert.deepEqual(p, BG, `(${x}, ${y}) should be padding`);
        else assert.ok(x < 16 ? RED(p) : BLUE(p), `(${x}, ${y}) = ${p}`);
      }
    }
  });

  test('fit with a grey target: the padding is the background in grey', async () => {
    const out = await decode('fit', 1);
    // The background converted to grey as any pixel is (libvips's sRGB to B_W).
    const [luma] = await sharpRaw(Buffer.from(BG), 1, 1).toColourspace('b-w').raw().toBuffer();
    for (const i of [0, 31, 32 * 7 + 3, 32 * 31 + 31]) assert.equal(out[i], luma, `${i}`);
    assert.notEqual(out[32 * 16 + 2], luma, 'the content is not padding');
    assert.equal(out.length, 32 * 32);
  });

  test('crop: the centre, filling the square; no background anywhere', async () => {
    const out = await decode('crop');
    for (let y = 0; y < 32; y += 3) {
      assert.ok(RED(px(out, 32, 2, y)), `left (2, ${y}) = ${px(out, 32, 2, y)}`);
      assert.ok(BLUE(px(out, 32, 29, y)), `right (29, ${y}) = ${px(out, 32, 29, y)}`);
    }
    for (let i = 0; i < 32 * 32; i++) assert.notDeepEqual(px(out, 32, i % 32, Math.floor(i / 32)), BG);
  });

  test('stretch: the whole image to the size, every row content', async () => {
    const out = await decode('stretch');
    for (const y of [0, 15, 31]) {
      assert.ok(RED(px(out, 32, 3, y)), `(3, ${y}) = ${px(out, 32, 3, y)}`);
      assert.ok(BLUE(px(out, 32, 28, y)), `(28, ${y}) = ${px(out, 32, 28, y)}`);
    }
  });
});

describe('several files and targets', () => {
  test('two targets from one read, file order kept under concurrency, ids and progress', async () => {
    const files = await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        const bytes = await sharpRaw(gradientRgb(20 + 9 * i, 30), 20 + 9 * i, 30)
          .png()
          .toBuffer();
        return { file: put(join(tmp.dir, 'many', `${i}.png`), bytes), name: `many/${i}.png` };
      }),
    );
    const preview: PhotoTarget = { height: 16, width: 16, channels: 3, resize: 'fit', background: [0, 0, 0] };
    const model = rgbAt(24, 24, 'crop');
    const progress: number[] = [];
    const got = await decodePhotos(files, [preview, model], { concurrency: 3, onProgress: (d) => progress.push(d) });
    assert.deepEqual(got.failures, []);
    assert.equal(got.outputs[0]!.length, 7 * 16 * 16 * 3);
    assert.equal(got.outputs[1]!.length, 7 * 24 * 24 * 3);
    assert.deepEqual(progress, [0, 1, 2, 3, 4, 5, 6, 7]);
    for (let i = 0; i < 7; i++) {
      assert.deepEqual(got.native[i], { width: 20 + 9 * i, height: 30, channels: 3 });
      assert.equal(got.ids[i], sampleId(readFileSync(files[i]!.file)));
      const alone = await decodePhotos([files[i]!], [model]);
      assert.deepEqual(got.outputs[1]!.subarray(i * 1728, (i + 1) * 1728), alone.outputs[0], `file ${i}`);
    }
  });
});
