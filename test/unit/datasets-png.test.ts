import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-node';
import * as zlib from 'node:zlib';
import { decodeGreyPng, encodeGreyPng, encodeRgbPng } from '../../src/main/engine/datasets/png.js';
import { Rng } from '../../src/main/engine/datasets/random.js';

function decode(png: Buffer): { shape: number[]; values: Uint8Array } {
  const t = tf.node.decodeImage(png, 0);
  try {
    return { shape: t.shape, values: Uint8Array.from(t.dataSync()) };
  } finally {
    t.dispose();
  }
}

describe('encodeGreyPng', () => {
  test('tfjs-node decodes a 28x28 image back to the same pixels, one grey channel', () => {
    const rng = new Rng(42);
    const pixels = Uint8Array.from({ length: 784 }, () => rng.int(256));
    const { shape, values } = decode(encodeGreyPng(pixels, 28, 28));
    assert.deepEqual(shape, [28, 28, 1]);
    assert.deepEqual(values, pixels);
  });

  test('non-square sizes keep rows and columns in place', () => {
    const pixels = Uint8Array.from({ length: 5 * 3 }, (_, i) => i * 17);
    const { shape, values } = decode(encodeGreyPng(pixels, 5, 3));
    assert.deepEqual(shape, [3, 5, 1]);
    assert.deepEqual(values, pixels);
  });

  test('a pixel count that does not match the size is refused', () => {
    assert.throws(() => encodeGreyPng(new Uint8Array(10), 28, 28), /10 pixels for a 28x28 image/);
    assert.throws(() => encodeGreyPng(new Uint8Array(0), 0, 0), /bad size/);
  });
});

describe('encodeRgbPng', () => {
  test('tfjs-node decodes a 7 x 5 image back to the same RGB bytes, three channels, rows in place', () => {
    const rng = new Rng(7);
    const rgb = Uint8Array.from({ length: 7 * 5 * 3 }, () => rng.int(256));
    const { shape, values } = decode(encodeRgbPng(rgb, 7, 5));
    assert.deepEqual(shape, [5, 7, 3]);
    assert.deepEqual(values, rgb);
  });

  test('a byte count that does not match the size is refused', () => {
    assert.throws(() => encodeRgbPng(new Uint8Array(28 * 28), 28, 28), /784 bytes for a 28x28 image/);
    assert.throws(() => encodeRgbPng(new Uint8Array(3), 1.5, 2), /bad size/);
  });
});

/** A PNG built by hand: every row under filter `filterOf(y)`, extra chunks before IDAT. */
function handPng(
  pixels: Uint8Array,
  w: number,
  h: number,
  filterOf: (y: number) => number,
  extra: [string, Uint8Array][] = [],
): Buffer {
  const base = encodeGreyPng(pixels, w, h); // its IHDR and IEND, checked by tfjs above
  const raw = Buffer.alloc((w + 1) * h);
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : pixels[y * w + x]!);
  for (let y = 0; y < h; y++) {
    const f = filterOf(y);
    raw[y * (w + 1)] = f;
    for (let x = 0; x < w; x++) {
      const [a, b, c] = [at(x - 1, y), at(x, y - 1), at(x - 1, y - 1)];
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][f]!;
      raw[y * (w + 1) + 1 + x] = (at(x, y) - pred) & 0xff;
    }
  }
  const chunk = (type: string, data: Uint8Array) => {
    const c = Buffer.alloc(12 + data.length);
    c.writeUInt32BE(data.length, 0);
    c.write(type, 4, 'latin1');
    c.set(data, 8);
    c.writeUInt32BE(zlib.crc32(c.subarray(4, 8 + data.length)), 8 + data.length);
    return c;
  };
  return Buffer.concat([
    base.subarray(0, 33), // signature + IHDR
    ...extra.map(([t, d]) => chunk(t, d)),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

describe('decodeGreyPng', () => {
  const rng = new Rng(7);
  const pixels = Uint8Array.from({ length: 784 }, () => rng.int(256));
  const read = (png: Buffer, w = 28, h = 28) => {
    const out = new Uint8Array(w * h);
    return decodeGreyPng(png, w, h, out) ? out : null;
  };

  test('every row filter reads back as libpng (through tfjs) reads it', () => {
    for (const filterOf of [() => 0, () => 1, () => 2, () => 3, () => 4, (y: number) => y % 5]) {
      const png = handPng(pixels, 28, 28, filterOf);
      assert.deepEqual(decode(png).values, pixels, 'the hand-made file is valid');
      assert.deepEqual(read(png), pixels);
    }
    assert.deepEqual(read(encodeGreyPng(pixels, 28, 28)), pixels);
    const text: [string, Uint8Array] = ['tEXt', Buffer.from('Comment\0made here')];
    assert.deepEqual(read(handPng(pixels, 28, 28, () => 4, [text])), pixels);
  });

  test('anything else is left to the full decoder', () => {
    const good = encodeGreyPng(pixels, 28, 28);
    assert.equal(read(good, 27, 28), null, 'another size');
    assert.equal(read(encodeRgbPng(new Uint8Array(784 * 3), 28, 28)), null, 'colour');
    assert.equal(read(handPng(pixels, 28, 28, () => 0, [['tRNS', Uint8Array.of(0, 0)]])), null, 'transparency');
    assert.equal(read(handPng(pixels, 28, 28, () => 0, [['gAMA', Uint8Array.of(0, 0, 177, 143)]])), null, 'gamma');
    const badCrc = Buffer.from(good);
    badCrc.writeUInt8(badCrc.readUInt8(badCrc.length - 20) ^ 0xff, badCrc.length - 20); // inside IDAT's data
    assert.equal(read(badCrc), null, 'a corrupt stream');
    assert.equal(read(good.subarray(0, good.length - 16)), null, 'truncated');
    assert.equal(read(handPng(pixels, 28, 28, () => 5)), null, 'an unknown filter');
    const short = handPng(pixels.subarray(0, 28 * 27), 28, 27, () => 0);
    short.writeUInt32BE(28, 20); // IHDR says 28 rows, the stream holds 27 (CRC mended)
    short.writeUInt32BE(zlib.crc32(short.subarray(12, 29)), 29);
    assert.equal(read(short), null, 'too few rows');
  });
});
