// Small real MNIST slices for the model-, pipeline-, worker- and cli- tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMnistRaw } from '../../src/main/engine/datasets/mnist.js';
import { PIXELS_PER_IMAGE } from '../../src/main/engine/types.js';

export function tempDir(prefix = 'unsure-model-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `count` MNIST images from `start` as one pixel buffer plus labels as class indices. */
export function mnistArrays(
  split: 'train' | 'test',
  start: number,
  count: number,
): { pixels: Uint8Array; labels: Int32Array } {
  const raw = readMnistRaw(split);
  return {
    pixels: raw.pixels.slice(start * PIXELS_PER_IMAGE, (start + count) * PIXELS_PER_IMAGE),
    labels: Int32Array.from(raw.labels.subarray(start, start + count)),
  };
}

export const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
