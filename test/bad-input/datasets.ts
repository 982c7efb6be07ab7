// Small real datasets for the corpus: MNIST digits as PNG class folders, unlabeled pools and
// CSV manifests. Train sets use each class's digits 0..11, pools digits 20 on, so no image
// of a pool repeats one of a train set.
import { join } from 'node:path';
import { digitPng, put } from './images.js';

export const PER_CLASS = 12;

/** `dir/<class>/<class>-<k>.png`, `perClass` digits of each class. Returns dir. */
export function digitFolder(dir: string, classes: number[] = [0, 1, 2], perClass = PER_CLASS, first = 0): string {
  for (const c of classes) {
    for (let k = first; k < first + perClass; k++) put(join(dir, String(c), `${c}-${k}.png`), digitPng(c, k));
  }
  return dir;
}

/** A folder of `n` unlabeled digits (classes 0..2 in turn) directly in `dir`. Returns dir. */
export function digitPool(dir: string, n = PER_CLASS): string {
  for (let i = 0; i < n; i++) put(join(dir, `p-${i}.png`), digitPng(i % 3, 20 + Math.floor(i / 3)));
  return dir;
}

/** `dir/images/<class>-<k>.png` and `dir/manifest.csv` listing them (path,label). Returns the manifest. */
export function digitManifest(dir: string, classes: number[] = [0, 1, 2], perClass = PER_CLASS): string {
  const lines = ['path,label'];
  for (const c of classes) {
    for (let k = 0; k < perClass; k++) {
      put(join(dir, 'images', `${c}-${k}.png`), digitPng(c, k));
      lines.push(`images/${c}-${k}.png,${c}`);
    }
  }
  return put(join(dir, 'manifest.csv'), `${lines.join('\n')}\n`);
}

/** `unsure score` with the shared 3-class model: no training, so skip-and-go-on cases stay fast. */
export function scoreWithModel(train: string, pool: string, out: string, model: string, ...more: string[]): string[] {
  return ['score', '--train', train, '--pool', pool, '--out', out, '--model', model, ...more];
}
