// Where the colour benchmark keeps its data: the unpacked CIFAR-10 JPEGs and the datasets
// built from them, all outside the repository (never committed).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CIFAR_ZIP = path.resolve(root, '..', 'shared', 'datasets', 'cifar10-jpeg.zip');
export const CIFAR_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/** UNSURE_BENCH_CACHE, else ~/.cache/unsure/bench. */
export function benchCache(): string {
  return process.env.UNSURE_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'unsure', 'bench');
}

function isUnpacked(dir: string): boolean {
  return CIFAR_CLASSES.every((c) => existsSync(path.join(dir, 'train', c)) && existsSync(path.join(dir, 'test', c)));
}

/**
 * The folder holding train/<class>/NNNN.jpg and test/<class>/NNNN.jpg: UNSURE_BENCH_CIFAR
 * when set (an unpacked copy elsewhere, only read), else <cache>/cifar10, unpacked from the
 * shared zip on first use (into a temp folder, then renamed: never half there).
 */
export async function cifarDir(out: (s: string) => void): Promise<string> {
  const given = process.env.UNSURE_BENCH_CIFAR;
  if (given) {
    if (!isUnpacked(given)) throw new Error(`UNSURE_BENCH_CIFAR=${given}: no train/<class> and test/<class> folders`);
    return given;
  }
  const dir = path.join(benchCache(), 'cifar10');
  if (isUnpacked(dir)) return dir;
  if (!existsSync(CIFAR_ZIP)) throw new Error(`${CIFAR_ZIP}: not found (the shared CIFAR-10 zip)`);
  const tmp = `${dir}.unpacking-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  out(`unpacking ${CIFAR_ZIP} into ${dir}\n`);
  const r = spawnSync('python3', ['-m', 'zipfile', '-e', CIFAR_ZIP, tmp], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${CIFAR_ZIP}: python3 -m zipfile -e failed (${r.status ?? r.signal})`);
  // The zip may hold train/ and test/ at its top or inside one folder.
  const top = isUnpacked(tmp) ? tmp : path.join(tmp, 'cifar10');
  if (!isUnpacked(top)) throw new Error(`${CIFAR_ZIP}: no train/<class> and test/<class> folders inside`);
  await rm(dir, { recursive: true, force: true });
  await rename(top, dir);
  await rm(tmp, { recursive: true, force: true });
  return dir;
}

export function cifarFile(cifar: string, split: 'train' | 'test', cls: string, i: number): string {
  return path.join(cifar, split, cls, `${String(i).padStart(4, '0')}.jpg`);
}
