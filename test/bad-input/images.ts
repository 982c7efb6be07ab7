// Real image bytes for the bad-input corpus: MNIST digits as PNG and JPEG, PNGs of any bit
// depth and colour type written with zlib (16-bit, palette, a 20000 x 20000 bomb of a few
// hundred KB), and the broken variants a user's disk holds (cut, bad CRC, lying headers).
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { createDeflate, crc32, deflateSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-node';
import sharp, { type Sharp } from 'sharp';
import { encodeGreyPng } from '../../src/main/engine/datasets/png.js';
import { readMnistRaw } from '../../src/main/engine/datasets/mnist.js';
import { PIXELS_PER_IMAGE } from '../../src/main/engine/types.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The `k`-th MNIST test digit of class `digit` (784 grey bytes): the same call gives the same image. */
export function digit(digitClass: number, k: number): Uint8Array {
  const raw = readMnistRaw('test');
  let seen = 0;
  for (let i = 0; i < raw.count; i++) {
    if (raw.labels[i] !== digitClass) continue;
    if (seen++ === k) return raw.pixels.slice(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE);
  }
  throw new RangeError(`no MNIST test digit ${digitClass} number ${k}`);
}

export function put(file: string, bytes: Uint8Array | string): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return file;
}

export function digitPng(digitClass: number, k: number): Buffer {
  return encodeGreyPng(digit(digitClass, k), 28, 28);
}

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function ihdr(width: number, height: number, bitDepth: number, colourType: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(width, 0);
  b.writeUInt32BE(height, 4);
  b[8] = bitDepth;
  b[9] = colourType;
  return b;
}

/** A PNG of `rows` (each already with its filter byte), any bit depth and colour type. */
export function pngOf(
  width: number,
  height: number,
  bitDepth: number,
  colourType: number,
  rows: Buffer,
  extra: Buffer[] = [],
): Buffer {
  return Buffer.concat([
    SIGNATURE,
    pngChunk('IHDR', ihdr(width, height, bitDepth, colourType)),
    ...extra,
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 28x28 16-bit greyscale PNG of a digit (values scaled to 0..65535). */
export function digit16BitPng(digitClass: number, k: number): Buffer {
  const px = digit(digitClass, k);
  const rows = Buffer.alloc(28 * (1 + 56));
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) rows.writeUInt16BE(px[y * 28 + x]! * 257, y * 57 + 1 + 2 * x);
  }
  return pngOf(28, 28, 16, 0, rows);
}

/** A 28x28 palette PNG (colour type 3): a 256-entry grey palette indexed by the digit's values. */
export function digitPalettePng(digitClass: number, k: number): Buffer {
  const px = digit(digitClass, k);
  const plte = Buffer.alloc(256 * 3);
  for (let i = 0; i < 256; i++) plte.fill(i, 3 * i, 3 * i + 3);
  const rows = Buffer.alloc(28 * 29);
  for (let y = 0; y < 28; y++) rows.set(px.subarray(y * 28, y * 28 + 28), y * 29 + 1);
  return pngOf(28, 28, 8, 3, rows, [pngChunk('PLTE', plte)]);
}

/** A valid PNG with a `bytes`-long tEXt chunk: a file over a size limit whose pixels are fine. */
export function paddedPng(digitClass: number, k: number, bytes: number): Buffer {
  const good = digitPng(digitClass, k);
  const text = Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.alloc(bytes, 0x41)]);
  // The text chunk goes right after IHDR (8 signature + 25 IHDR bytes).
  return Buffer.concat([good.subarray(0, 33), pngChunk('tEXt', text), good.subarray(33)]);
}

/**
 * A decompression bomb: a `side` x `side` 8-bit grey PNG of zeros. Deflated one row at a
 * time, so building it never holds the image: 20000 x 20000 (400 MB of pixels) is ~400 KB.
 */
export async function writeBombPng(file: string, side: number): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const row = Buffer.alloc(side + 1);
  for (let y = 0; y < side; y++) if (!deflate.write(row)) await once(deflate, 'drain');
  deflate.end();
  await once(deflate, 'end');
  const out = createWriteStream(file);
  out.write(SIGNATURE);
  out.write(pngChunk('IHDR', ihdr(side, side, 8, 0)));
  out.write(pngChunk('IDAT', Buffer.concat(parts)));
  out.write(pngChunk('IEND', Buffer.alloc(0)));
  out.end();
  await once(out, 'finish');
}

/** tfjs-node's own JPEG encoder, for [h, w, c] uint8 data. */
export async function jpegOf(data: Uint8Array, h: number, w: number, c: 1 | 3): Promise<Buffer> {
  const t = tf.tensor3d(data, [h, w, c], 'int32');
  try {
    return Buffer.from(await tf.node.encodeJpeg(t, c === 1 ? 'grayscale' : 'rgb', 90));
  } finally {
    t.dispose();
  }
}

export async function digitJpeg(digitClass: number, k: number): Promise<Buffer> {
  return jpegOf(digit(digitClass, k), 28, 28, 1);
}

/**
 * An ordinary 6000 x 4000 photo (24 megapixels, under the default limit): a dark-on-light
 * digit drawn large with a colour cast, so it must be downscaled, not refused.
 */
export async function bigPhotoJpeg(digitClass: number, k: number): Promise<Buffer> {
  const [w, h] = [6000, 4000];
  const px = digit(digitClass, k);
  const data = new Uint8Array(w * h * 3);
  const scale = Math.floor(h / 28);
  const left = Math.floor((w - 28 * scale) / 2);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(27, Math.floor(y / scale));
    for (let x = 0; x < w; x++) {
      const sx = Math.floor((x - left) / scale);
      const v = sx >= 0 && sx < 28 ? px[sy * 28 + sx]! : 0;
      const o = (y * w + x) * 3;
      data[o] = 240 - v * 0.8;
      data[o + 1] = 230 - v * 0.8;
      data[o + 2] = 220 - v * 0.8;
    }
  }
  return jpegOf(data, h, w, 3);
}

/** A PNG whose IDAT chunk's CRC is wrong (one flipped bit). */
export function badCrcPng(digitClass: number, k: number): Buffer {
  const b = Buffer.from(digitPng(digitClass, k));
  const idat = b.indexOf('IDAT', 0, 'latin1');
  const len = b.readUInt32BE(idat - 4);
  b[idat + 4 + len]! ^= 0x01;
  return b;
}

/** The first `fraction` of a file's bytes, as a copy interrupted half way leaves it. */
export function cut(bytes: Uint8Array, fraction: number): Buffer {
  return Buffer.from(bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

/** A file that starts like a GIF or BMP and then is garbage. */
export function lyingHeader(kind: 'gif' | 'bmp'): Buffer {
  const head =
    kind === 'gif' ? Buffer.from('GIF89a\x1c\x00\x1c\x00\xf7\x00\x00', 'latin1') : Buffer.from('BM', 'latin1');
  const junk = Buffer.alloc(200);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 37 + 11) & 0xff;
  return Buffer.concat([head, junk]);
}

// Colour files for the photo path (datasets/photo-decode.ts), made with sharp itself.

/** A `w` x `h` RGB image: left half pure red, right half pure blue (orientation shows at a glance). */
export function redBlueRgb(w: number, h: number): Buffer {
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) raw[(y * w + x) * 3 + (x < w / 2 ? 0 : 2)] = 255;
  }
  return raw;
}

/** A smooth colour photo-like pattern, so JPEG and WebP encode it well. */
export function gradientRgb(w: number, h: number): Buffer {
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      raw[o] = Math.round((255 * x) / Math.max(1, w - 1));
      raw[o + 1] = Math.round((255 * y) / Math.max(1, h - 1));
      raw[o + 2] = 128;
    }
  }
  return raw;
}

export function sharpRaw(raw: Buffer, w: number, h: number, channels: 1 | 2 | 3 | 4 = 3): Sharp {
  return sharp(raw, { raw: { width: w, height: h, channels } });
}

/** A colour JPEG of the gradient (progressive when asked). */
export function colourJpeg(w: number, h: number, progressive = false): Promise<Buffer> {
  return sharpRaw(gradientRgb(w, h), w, h).jpeg({ quality: 90, progressive }).toBuffer();
}

/** A 24-bit uncompressed BMP (bottom-up rows, BGR, rows padded to 4 bytes); libvips cannot read it. */
export function bmpOf(rgb: Uint8Array, w: number, h: number): Buffer {
  const stride = Math.ceil((w * 3) / 4) * 4;
  const out = Buffer.alloc(54 + stride * h);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(w, 18);
  out.writeInt32LE(h, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(stride * h, 34);
  for (let y = 0; y < h; y++) {
    const row = 54 + (h - 1 - y) * stride;
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 3;
      out[row + x * 3] = rgb[s + 2]!;
      out[row + x * 3 + 1] = rgb[s + 1]!;
      out[row + x * 3 + 2] = rgb[s]!;
    }
  }
  return out;
}

/** A valid JPEG whose frame header claims `w` x `h`: a decompression bomb by its header. */
export function jpegClaiming(jpeg: Buffer, w: number, h: number): Buffer {
  const b = Buffer.from(jpeg);
  for (let at = 2; at + 9 <= b.length;) {
    const marker = b[at + 1]!;
    if (marker === 0xc0 || marker === 0xc2) {
      b.writeUInt16BE(h, at + 5);
      b.writeUInt16BE(w, at + 7);
      return b;
    }
    at += 2 + b.readUInt16BE(at + 2);
  }
  throw new Error('jpegClaiming: no frame header');
}

/** A WebP that is only a VP8X header claiming a `w` x `h` canvas (at most 16384 a side). */
export function webpClaiming(w: number, h: number): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x.writeUIntLE(w - 1, 4, 3);
  vp8x.writeUIntLE(h - 1, 7, 3);
  const body = Buffer.concat([Buffer.from('WEBPVP8X', 'latin1'), Buffer.from([10, 0, 0, 0]), vp8x]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

export const SVG_BYTES =
  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32" fill="red"/></svg>\n';
