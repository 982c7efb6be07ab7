// A project's workspace folder is derived from the datasets it works on, so opening the
// same datasets again finds the same checkpoints, caches and decision journal.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { realPath } from './path-inside.js';
import { unsureHome } from './unsure-home.js';

export interface ProjectSpec {
  train?: string;
  pool?: string;
  demo: boolean;
}

export interface ProjectIdentity {
  /** `<name>-<hash>`: also the workspace folder's name. */
  projectId: string;
  /** Human name: the dataset's folder or file name. */
  name: string;
  /** The spec with dataset paths made absolute and symlink-free. */
  dataset: ProjectSpec;
}

export function projectIdentity(spec: ProjectSpec): ProjectIdentity {
  const dataset: ProjectSpec = { demo: spec.demo };
  if (spec.train) dataset.train = realPath(spec.train);
  if (spec.pool) dataset.pool = realPath(spec.pool);
  // Key order is fixed here, so the same datasets always hash the same.
  const key = JSON.stringify([dataset.train ?? null, dataset.pool ?? null, dataset.demo]);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
  const source = dataset.train ?? dataset.pool;
  const name = source ? safeName(path.basename(source, path.extname(source))) : 'demo';
  return { projectId: `${name}-${hash}`, name, dataset };
}

/** `<home>/projects/<name>-<hash>`; the same datasets always give the same folder. Pure: creates nothing. */
export function projectDirPath(spec: ProjectSpec, home: string = unsureHome()): string {
  return path.join(home, 'projects', projectIdentity(spec).projectId);
}

/** The folder a dataset path stands for: itself for a folder, the containing folder for a file (CSV manifest). */
export function datasetRoot(p: string): string {
  const abs = realPath(p);
  try {
    return statSync(abs).isDirectory() ? abs : path.dirname(abs);
  } catch {
    return abs;
  }
}

function safeName(raw: string): string {
  const s = raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 40);
  return s || 'dataset';
}
