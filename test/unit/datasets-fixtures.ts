// Builders for small real datasets on disk, shared by the datasets-*.test.ts files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-node';
import { readMnistRaw } from '../../src/main/engine/datasets/mnist.js';
import { encodeGreyPng } from '../../src/main/engine/datasets/png.js';
import { PIXELS_PER_IMAGE, imageAt } from '../../src/main/engine/types.js';

export { imageAt };

export function tempDir(prefix = 'unsure-ds-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** MNIST test digit `i` (784 bytes, light on dark) and its label. */
export function mnistDigit(i: number): { pixels: Uint8Array; label: string } {
  const raw = readMnistRaw('test');
  return {
    pixels: raw.pixels.slice(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE),
    label: String(raw.labels[i]),
  };
}

export function writeFile(path: string, bytes: Uint8Array | string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

export function writeGreyPng(path: string, pixels: Uint8Array, width = 28, height = 28): string {
  return writeFile(path, encodeGreyPng(pixels, width, height));
}

/** Nearest-neighbour upscale of a 28x28 image by `k`, as a [28k, 28k] grey array. */
export function upscale(pixels: Uint8Array, k: number): Uint8Array {
  const size = 28 * k;
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) out[y * size + x] = pixels[Math.floor(y / k) * 28 + Math.floor(x / k)]!;
  }
  return out;
}

/** Encodes an [h, w, c] uint8 image as PNG or JPEG with tfjs-node's own encoders. */
export async function encodeImage(
  data: Uint8Array,
  h: number,
  w: number,
  c: 1 | 2 | 3 | 4,
  format: 'png' | 'jpeg',
): Promise<Uint8Array> {
  const t = tf.tensor3d(data, [h, w, c], 'int32');
  try {
    return format === 'png'
      ? await tf.node.encodePng(t)
      : await tf.node.encodeJpeg(t, c === 1 ? 'grayscale' : 'rgb', 95);
  } finally {
    t.dispose();
  }
}

/** Pearson correlation of two equally long pixel arrays. */
export function correlation(a: Uint8Array, b: Uint8Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

export function centreOfMass(img: Uint8Array): [number, number] {
  let m = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < img.length; i++) {
    m += img[i]!;
    x += img[i]! * (i % 28);
    y += img[i]! * Math.floor(i / 28);
  }
  return [x / m, y / m];
}
