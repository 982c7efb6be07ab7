// Real datasets on disk for benchmarks and tests: slices of MNIST (and generated
// distractors) written as IDX files or PNG folders, the formats a user would point Unsure at.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  encodeGreyPng,
  encodeIdxImages,
  encodeIdxLabels,
  generateDistractors,
  readMnistRaw,
  type DistractorKind,
} from '../src/main/engine/datasets/index.js';
import { imageAt, PIXELS_PER_IMAGE } from '../src/main/engine/types.js';

export interface IdxSlice {
  pixels: Uint8Array;
  /** Label bytes, or null to write no label file (an unlabeled pool). */
  labels: Uint8Array | null;
}

/** Writes `<dir>/<prefix>-images-idx3-ubyte` (+ labels) and returns the dataset path (dir). */
export async function writeIdxDataset(dir: string, data: IdxSlice, prefix = 'data'): Promise<string> {
  await mkdir(dir, { recursive: true });
  const n = data.pixels.length / PIXELS_PER_IMAGE;
  await writeFile(path.join(dir, `${prefix}-images-idx3-ubyte`), encodeIdxImages(data.pixels, n, 28, 28));
  if (data.labels) await writeFile(path.join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdxLabels(data.labels));
  return dir;
}

/** MNIST records [start, start + count) of a split. */
export function mnistSlice(split: 'train' | 'test', start: number, count: number): IdxSlice {
  const raw = readMnistRaw(split);
  const end = Math.min(raw.count, start + count);
  return {
    pixels: raw.pixels.slice(start * PIXELS_PER_IMAGE, end * PIXELS_PER_IMAGE),
    labels: raw.labels.slice(start, end),
  };
}

/** An unlabeled pool: MNIST test digits followed by generated distractors of the given kinds. */
export function mixedPool(
  digits: number,
  distractors: Partial<Record<DistractorKind, number>>,
  seed = 7,
): { pixels: Uint8Array; origins: string[] } {
  const parts: Uint8Array[] = [mnistSlice('test', 0, digits).pixels];
  const origins: string[] = new Array(digits).fill('mnist');
  for (const [kind, n] of Object.entries(distractors) as [DistractorKind, number][]) {
    if (!n) continue;
    parts.push(generateDistractors(kind, n, seed));
    origins.push(...new Array(n).fill(kind));
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const pixels = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    pixels.set(p, off);
    off += p.length;
  }
  return { pixels, origins };
}

/** Writes each 28 x 28 image of `pixels` as `<dir>/<folderOf(i)>/<i>.png` ('.' for dir itself). */
export async function writePngs(dir: string, pixels: Uint8Array, folderOf: (i: number) => string): Promise<void> {
  const n = pixels.length / PIXELS_PER_IMAGE;
  const made = new Set<string>();
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, folderOf(i));
    if (!made.has(sub)) {
      await mkdir(sub, { recursive: true });
      made.add(sub);
    }
    await writeFile(path.join(sub, `${i}.png`), encodeGreyPng(imageAt(pixels, i), 28, 28));
  }
}
