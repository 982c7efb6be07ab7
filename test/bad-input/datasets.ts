// Small real datasets for the corpus: MNIST digits as PNG class folders, unlabeled pools and
// CSV manifests, and colour photo folders. Train sets use each class's digits 0..11, pools digits 20 on, so no image
// of a pool repeats one of a train set.
import { join } from 'node:path';
import { digitPng, put, sharpRaw } from './images.js';

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

/** A 40 x 30 colour JPEG: a gradient in hue `k` of 3, varied by `i`. */
function photoJpeg(k: number, i: number): Promise<Buffer> {
  const [w, h] = [40, 30];
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      const t = (x + y + i * 3) / (w + h);
      raw[o + k] = Math.round(140 + 110 * t);
      raw[o + ((k + 1) % 3)] = Math.round(40 * (1 - t));
      raw[o + ((k + 2) % 3)] = (x * 7 + i * 11) % 60;
    }
  return sharpRaw(raw, w, h).jpeg({ quality: 90 }).toBuffer();
}

/** `dir/<c>/<c>-<i>.jpg`: colour photos of classes red, green, blue (the backbone's path). Returns dir. */
export async function photoFolder(dir: string, perClass = 4): Promise<string> {
  for (const [k, c] of ['red', 'green', 'blue'].entries())
    for (let i = 0; i < perClass; i++) put(join(dir, c, `${c}-${i}.jpg`), await photoJpeg(k, i));
  return dir;
}

/** `n` unlabeled colour photos directly in `dir`. Returns dir. */
export async function photoPool(dir: string, n = 6): Promise<string> {
  for (let i = 0; i < n; i++) put(join(dir, `p-${i}.jpg`), await photoJpeg(i % 3, 20 + i));
  return dir;
}
