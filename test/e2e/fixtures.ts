// Small real datasets on disk for end-to-end tests: MNIST digits as PNG class folders
// (the training set) and a review pool of MNIST test digits mixed with generated
// distractors. Written with the engine's own PNG encoder; nothing is mocked.
import fs from 'node:fs';
import path from 'node:path';
import { encodeGreyPng, generateDistractors, readMnistRaw } from '../../src/main/engine/datasets/index.js';
import { imageAt } from '../../src/main/engine/types.js';

export interface DigitFixture {
  train: string;
  pool: string;
  /** Pool file name -> what it really is ('0'..'9', 'scribble', 'noise'). */
  truth: Map<string, string>;
}

const png = (pixels: Uint8Array, i: number) => encodeGreyPng(imageAt(pixels, i), 28, 28);

export function makeDigitFixture(
  dir: string,
  opts: { train: number; poolDigits: number; poolDistractors: number },
): DigitFixture {
  const train = path.join(dir, 'train');
  const pool = path.join(dir, 'pool');
  const mnist = readMnistRaw('train');
  for (let i = 0; i < opts.train; i++) {
    const label = String(mnist.labels[i]);
    fs.mkdirSync(path.join(train, label), { recursive: true });
    fs.writeFileSync(path.join(train, label, `${i}.png`), png(mnist.pixels, i));
  }
  fs.mkdirSync(pool, { recursive: true });
  const truth = new Map<string, string>();
  const test = readMnistRaw('test');
  for (let i = 0; i < opts.poolDigits; i++) {
    const name = `digit-${i}.png`;
    fs.writeFileSync(path.join(pool, name), png(test.pixels, i));
    truth.set(name, String(test.labels[i]));
  }
  for (const kind of ['scribble', 'noise'] as const) {
    const n = Math.ceil(opts.poolDistractors / 2);
    const px = generateDistractors(kind, n, 7);
    for (let i = 0; i < n; i++) {
      const name = `${kind}-${i}.png`;
      fs.writeFileSync(path.join(pool, name), png(px, i));
      truth.set(name, kind);
    }
  }
  return { train, pool, truth };
}

/** One MNIST test digit as PNG bytes, with its true label. */
export function mnistTestPng(index: number): { bytes: Buffer; label: string } {
  const test = readMnistRaw('test');
  return { bytes: png(test.pixels, index), label: String(test.labels[index]) };
}
