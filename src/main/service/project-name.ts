// What the top bar and the recent-projects list call a project: the training set's name,
// since the pool folder is usually "pool" or "unsorted" and says little.
import os from 'node:os';
import path from 'node:path';
import type { DatasetSpec } from '../../shared/api.js';

export const DEMO_NAME = 'Digits in the wild (demo)';

/** Folder or file names that say what a folder holds, not what the dataset is. */
const GENERIC = new Set([
  'train',
  'training',
  'trainset',
  'train_set',
  'labeled',
  'labelled',
  'images',
  'imgs',
  'data',
  'dataset',
  'pool',
  'unlabeled',
  'unlabelled',
  'unsorted',
  'test',
  'val',
  'valid',
  'validation',
  'labels',
  'train_labels',
  'manifest',
]);

/** A dataset given as a file is a CSV manifest (datasets/detect-kind.ts). */
const MANIFEST = /\.csv$/i;

/** The name of a dataset path: its last part without an extension, or its parent's when that part is generic. */
function nameOf(p: string): string {
  const parts = path.resolve(p).split(path.sep).filter(Boolean);
  const last = parts.at(-1) ?? p;
  const stem = last.replace(MANIFEST, '');
  const parent = parts.at(-2);
  return GENERIC.has(stem.toLowerCase()) && parent ? parent : stem;
}

export function projectName(spec: DatasetSpec & { demo?: boolean }): string {
  if (spec.demo) return DEMO_NAME;
  const source = spec.train ?? spec.pool;
  return source ? nameOf(source) : '';
}

/**
 * The folder Export offers first, beside the labelled dataset and so outside it, as an export
 * must be (/data/pets -> /data/pets-corrected; a manifest's folder is the dataset's, so
 * /data/products/labels.csv -> /data/products-corrected), or in the home folder for the demo.
 */
export function exportSuggestion(spec: DatasetSpec & { demo?: boolean }, home = os.homedir()): string {
  if (spec.demo || !spec.train) return path.join(home, 'digits-in-the-wild-corrected');
  const base = spec.train.replace(/[\\/]+$/, '');
  return `${MANIFEST.test(base) ? path.dirname(base) : base}-corrected`;
}
