// The 100,000-sample project the UI benchmark opens: all 60,000 MNIST training digits
// (labeled IDX) plus a 41,000-image unlabeled review pool (the 10,000 MNIST test digits and
// 31,000 generated distractors), both as real IDX folders the app reads like any user's.
// Built once and cached under the OS temp folder: the bytes are deterministic.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  encodeIdxImages,
  encodeIdxLabels,
  generateDistractors,
  readMnistRaw,
} from '../src/main/engine/datasets/index.js';
import { IMAGE_SIZE, PIXELS_PER_IMAGE } from '../src/main/engine/types.js';

export interface UiDataset {
  train: string;
  pool: string;
  trainCount: number;
  poolCount: number;
}

const POOL_DISTRACTORS = { missegmented: 11_000, scribble: 10_000, noise: 10_000 } as const;
const SEED = 11;
/** Bumped whenever the recipe changes, so a stale cache is never reused. */
const VERSION = 'v1';

export function uiDatasetDir(): string {
  return path.join(os.tmpdir(), `unsure-bench-ui-100k-${VERSION}`);
}

/** Writes `data` to `file` via a temp file and a rename: a killed run leaves no half file behind. */
function writeAtomic(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

export function ensureUiDataset(log: (s: string) => void = () => {}): UiDataset {
  const dir = uiDatasetDir();
  const train = path.join(dir, 'train');
  const pool = path.join(dir, 'pool');
  const trainImages = path.join(train, 'train-images-idx3-ubyte');
  const trainLabels = path.join(train, 'train-labels-idx1-ubyte');
  const poolImages = path.join(pool, 'pool-images-idx3-ubyte');
  const mnistTrain = readMnistRaw('train');
  const trainCount = mnistTrain.labels.length;
  const poolCount = 10_000 + Object.values(POOL_DISTRACTORS).reduce((a, b) => a + b, 0);
  if (fs.existsSync(trainImages) && fs.existsSync(trainLabels) && fs.existsSync(poolImages)) {
    return { train, pool, trainCount, poolCount };
  }
  log(`building the ${trainCount + poolCount}-sample benchmark dataset in ${dir}\n`);
  fs.mkdirSync(train, { recursive: true });
  fs.mkdirSync(pool, { recursive: true });
  // MNIST's training split, re-written so the folder holds exactly this one IDX pair.
  writeAtomic(trainLabels, encodeIdxLabels(mnistTrain.labels));
  writeAtomic(trainImages, encodeIdxImages(mnistTrain.pixels, trainCount, IMAGE_SIZE, IMAGE_SIZE));

  const test = readMnistRaw('test');
  const parts: Uint8Array[] = [test.pixels];
  for (const [kind, n] of Object.entries(POOL_DISTRACTORS)) {
    parts.push(generateDistractors(kind as keyof typeof POOL_DISTRACTORS, n, SEED));
  }
  const pixels = new Uint8Array(poolCount * PIXELS_PER_IMAGE);
  let at = 0;
  for (const p of parts) {
    pixels.set(p, at);
    at += p.length;
  }
  // No label file beside it: the pool is unlabeled, as a user's new data would be.
  writeAtomic(poolImages, encodeIdxImages(pixels, poolCount, IMAGE_SIZE, IMAGE_SIZE));
  return { train, pool, trainCount, poolCount };
}
