// Images no larger than a colour target: which files TensorFlow decodes itself (and that it
// gives sharp's bytes for them), scaling up as sharp would, the three policies, and that a
// plain file and the same pixels through sharp come out byte for byte alike.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { colourJpeg, cut, gradientRgb, pngChunk, redBlueRgb, sharpRaw } from '../bad-input/images.js';
import { decodePhoto, type PhotoTarget } from '../../src/main/engine/datasets/photo-sharp.js';
import { plainPhoto } from '../../src/main/engine/datasets/plain-photo.js';

const BG: [number, number, number] = [10, 200, 30];
const at = (width: number, height: number, resize: PhotoTarget['resize'] = 'stretch'): PhotoTarget => ({
  height,
  width,
  channels: 3,
  resize,
  background: BG,
});
const decode = async (bytes: Uint8Array, target: PhotoTarget) => (await decodePhoto(bytes, [target], 1e8)).outputs[0]!;
const px = (data: Uint8Array, w: number, x: number, y: number) =>
  Array.from(data.subarray((y * w + x) * 3, (y * w + x + 1) * 3));

/** The PNG with a gAMA chunk put right after its IHDR. */
function withGamma(png: Buffer): Buffer {
  const gamma = Buffer.alloc(4);
  gamma.writeUInt32BE(55556);
  return Buffer.concat([png.subarray(0, 33), pngChunk('gAMA', gamma), png.subarray(33)]);
}

describe('which files TensorFlow decodes', () => {
  const [w, h] = [24, 16];
  const rgb = gradientRgb(w, h);

  test('plain JPEGs and PNGs: their size and channels from the header', async () => {
    const cases: [string, Buffer, number][] = [
      ['baseline JPEG', await sharpRaw(rgb, w, h).jpeg({ quality: 80 }).toBuffer(), 3],
      ['4:4:4 JPEG', await sharpRaw(rgb, w, h).jpeg({ chromaSubsampling: '4:4:4' }).toBuffer(), 3],
      ['progressive JPEG', await colourJpeg(w, h, true), 3],
      ['grey JPEG', await sharpRaw(rgb, w, h).toColourspace('b-w').jpeg().toBuffer(), 1],
      ['RGB PNG', await sharpRaw(rgb, w, h).png().toBuffer(), 3],
      ['grey PNG', await sharpRaw(rgb, w, h).toColourspace('b-w').png().toBuffer(), 1],
      ['palette PNG', await sharpRaw(redBlueRgb(w, h), w, h).png({ palette: true, colours: 2 }).toBuffer(), 3],
    ];
    for (const [name, bytes, channels] of cases)
      assert.deepEqual(
        plainPhoto(bytes),
        { format: name.endsWith('PNG') ? 'PNG' : 'JPEG', width: w, height: h, channels },
        name,
      );
  });

  test('anything sharp has work to do on, or that is cut short, is not plain', async () => {
    const rgba = Buffer.alloc(w * h * 4, 200);
    const jpeg = await sharpRaw(rgb, w, h).jpeg().toBuffer();
    const png = await sharpRaw(rgb, w, h).png().toBuffer();
    const cases: [string, Buffer][] = [
      ['EXIF orientation', await sharpRaw(rgb, w, h).jpeg().withMetadata({ orientation: 6 }).toBuffer()],
      ['ICC profile', await sharpRaw(rgb, w, h).jpeg().withIccProfile('p3').toBuffer()],
      ['CMYK JPEG', await sharpRaw(rgb, w, h).toColourspace('cmyk').jpeg().toBuffer()],
      ['truncated JPEG', cut(jpeg, 0.7)],
      ['RGBA PNG', await sharpRaw(rgba, w, h, 4).png().toBuffer()],
      ['palette PNG with transparency', await sharpRaw(rgba, w, h, 4).png({ palette: true }).toBuffer()],
      ['16-bit PNG', await sharpRaw(rgb, w, h).toColourspace('rgb16').png().toBuffer()],
      ['PNG with a profile', await sharpRaw(rgb, w, h).png().withIccProfile('p3').toBuffer()],
      ['truncated PNG', cut(png, 0.8)],
      ['WebP', await sharpRaw(rgb, w, h).webp({ lossless: true }).toBuffer()],
    ];
    for (const [name, bytes] of cases) assert.equal(plainPhoto(bytes), null, name);
  });

  test("TensorFlow's decode is sharp's, byte for byte, for every plain kind", async () => {
    const files = [
      await sharpRaw(rgb, w, h).jpeg({ quality: 75 }).toBuffer(),
      await sharpRaw(rgb, w, h).jpeg({ chromaSubsampling: '4:4:4', quality: 95 }).toBuffer(),
      await colourJpeg(w, h, true),
      await sharpRaw(rgb, w, h).toColourspace('b-w').jpeg().toBuffer(),
      await sharpRaw(rgb, w, h).png({ adaptiveFiltering: true }).toBuffer(),
      await sharpRaw(redBlueRgb(w, h), w, h).png({ palette: true, colours: 2 }).toBuffer(),
      await sharpRaw(rgb, w, h).png({ progressive: true }).toBuffer(), // Adam7 interlaced
      withGamma(await sharpRaw(rgb, w, h).png().toBuffer()), // gAMA 1/1.8: neither decoder applies it
    ];
    for (const [i, bytes] of files.entries()) {
      assert.ok(plainPhoto(bytes), `file ${i} is plain`);
      const bySharp = await sharp(bytes).toColourspace('srgb').raw().toBuffer();
      assert.deepEqual(await decode(bytes, at(w, h)), new Uint8Array(bySharp), `file ${i}`);
    }
  });

  test('a cut-off JPEG is still refused in plain words', async () => {
    const bytes = cut(await sharpRaw(rgb, w, h).jpeg().toBuffer(), 0.6);
    await assert.rejects(decodePhoto(bytes, [at(64, 64)], 1e8), /truncated|corrupt|premature/i);
  });
});

describe('scaling up', () => {
  test("sharp's linear upscale, within a level of rounding, at whole and fractional scales", async () => {
    for (const [w, h, tw, th] of [
      [32, 32, 128, 128],
      [32, 32, 64, 64],
      [30, 18, 64, 41],
      [7, 5, 19, 23],
    ] as const) {
      const rgb = gradientRgb(w, h);
      for (let i = 0; i < rgb.length; i += 7) rgb[i] = (i * 37) % 256; // edges, not only a ramp
      const png = await sharpRaw(rgb, w, h).png().toBuffer();
      const bySharp = await sharp(png).resize(tw, th, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
      const ours = await decode(png, at(tw, th));
      let [sum, max] = [0, 0];
      ours.forEach((v, i) => {
        const d = Math.abs(v - bySharp[i]!);
        [sum, max] = [sum + d, Math.max(max, d)];
      });
      assert.ok(max <= 1 && sum / ours.length < 0.3, `${w}x${h} to ${tw}x${th}: mean ${sum / ours.length}, max ${max}`);
    }
  });

  const redBlue = () => sharpRaw(redBlueRgb(20, 10), 20, 10).png().toBuffer();
  const RED = (p: number[]) => p[0]! > 180 && p[1]! < 80 && p[2]! < 80;
  const BLUE = (p: number[]) => p[2]! > 180 && p[0]! < 80 && p[1]! < 80;

  test('fit: a 20 x 10 red | blue image fills 32 x 16 of 32 x 32, padded above and below', async () => {
    const out = await decode(await redBlue(), at(32, 32, 'fit'));
    for (const y of [0, 7, 24, 31]) assert.deepEqual(px(out, 32, 5, y), BG, `(5, ${y})`);
    for (const y of [8, 16, 23]) {
      assert.ok(RED(px(out, 32, 2, y)), `(2, ${y}) = ${px(out, 32, 2, y)}`);
      assert.ok(BLUE(px(out, 32, 29, y)), `(29, ${y}) = ${px(out, 32, 29, y)}`);
    }
  });

  test('crop: the centre of the 64 x 32 scaled image, no background; stretch: every row content', async () => {
    const crop = await decode(await redBlue(), at(32, 32, 'crop'));
    const stretch = await decode(await redBlue(), at(32, 32, 'stretch'));
    for (const y of [0, 16, 31]) {
      for (const out of [crop, stretch]) {
        assert.ok(RED(px(out, 32, 1, y)), `(1, ${y}) = ${px(out, 32, 1, y)}`);
        assert.ok(BLUE(px(out, 32, 30, y)), `(30, ${y}) = ${px(out, 32, 30, y)}`);
      }
    }
  });

  test('the same pixels as a plain PNG (TensorFlow) and as lossless WebP (sharp) give the same bytes', async () => {
    const rgb = gradientRgb(30, 18);
    for (const resize of ['stretch', 'fit', 'crop'] as const) {
      const png = await decode(await sharpRaw(rgb, 30, 18).png().toBuffer(), at(64, 48, resize));
      const webp = await decode(await sharpRaw(rgb, 30, 18).webp({ lossless: true }).toBuffer(), at(64, 48, resize));
      assert.deepEqual(png, webp, resize);
    }
  });

  test('a file larger than the target in either side is reduced by sharp, antialiased', async () => {
    // Stripes one pixel wide average to grey when shrunk with antialiasing; sampled, they alias.
    const stripes = Buffer.alloc(64 * 8 * 3);
    for (let i = 0; i < 64 * 8; i++) stripes.fill(i % 2 ? 255 : 0, i * 3, i * 3 + 3);
    const out = await decode(await sharpRaw(stripes, 64, 8).png().toBuffer(), at(16, 16));
    for (const v of out) assert.ok(Math.abs(v - 128) < 20, `value ${v}`);
  });
});
