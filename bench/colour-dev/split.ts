// The development split of docs/colour-model.md, on CIFAR-10 unpacked in /work/cache/cifar10
// (CIFAR_DIR to change): 8 known classes, 1,000 training images each, 250 test images each,
// and two held-out classes (frog, ship: not the obvious first/last pair) as open-set photos.
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const CIFAR_DIR = process.env.CIFAR_DIR ?? '/work/cache/cifar10';
export const FEATURE_CACHE = process.env.FEATURE_CACHE ?? '/work/cache/bb';
export const KNOWN = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'horse', 'truck'];
export const HELD_OUT = ['frog', 'ship'];
export const TRAIN_PER_CLASS = 1000;
export const TEST_PER_CLASS = 250;

export interface SplitPart {
  name: 'train' | 'test' | 'open';
  files: string[];
  labels: Int32Array;
}

function take(dir: string, cls: string, n: number): string[] {
  const d = path.join(CIFAR_DIR, dir, cls);
  return readdirSync(d)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, n)
    .map((f) => path.join(d, f));
}

function part(name: SplitPart['name'], dir: string, classes: string[], n: number): SplitPart {
  const files: string[] = [];
  const labels: number[] = [];
  classes.forEach((c, k) => {
    for (const f of take(dir, c, n)) {
      files.push(f);
      labels.push(k);
    }
  });
  return { name, files, labels: Int32Array.from(labels) };
}

export function devSplit(): SplitPart[] {
  return [
    part('train', 'train', KNOWN, TRAIN_PER_CLASS),
    part('test', 'test', KNOWN, TEST_PER_CLASS),
    part('open', 'test', HELD_OUT, TEST_PER_CLASS),
  ];
}
