// The label check's result kept in the project folder: out-of-fold models take as long as a
// training (21 s of both cores for the demo's 60,000 digits), and a second launch on the same
// samples, labels and model would otherwise train them all again. Keyed by everything the
// check depends on; a file that does not match, or cannot be read, is ignored and the check runs.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabelIssues } from '../scores/index.js';
import { writeFileAtomic } from '../project/atomic-write.js';
import { pruneOld } from '../project/prune-old.js';

/** Bumped whenever the check computes something else from the same inputs. */
const VERSION = 1;
const DIR = 'labelcheck';
/** Results of earlier labels kept beside the current one (a retrain changes the labels). */
const KEEP = 3;

/** What the check's result depends on. */
export interface LabelCheckKey {
  ids: readonly string[];
  labels: readonly (string | null)[];
  knownClasses: readonly string[];
  epochs: number;
  seed: number;
  /** How the rows were made: the recipe, and the extractor for feature rows. */
  inputs: unknown;
  /** The main model whose view is averaged in, or null. */
  modelVersion: string | null;
}

export function labelCheckKey(k: LabelCheckKey): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ version: VERSION, ...k }));
  return h.digest('hex').slice(0, 24);
}

/** Where a project keeps the check of this key. */
export const labelCheckFile = (projectDir: string, key: string) => path.join(projectDir, DIR, `${key}.json`);

/** The demo's check, shipped beside its model (scripts/train-demo-model.ts), read like a kept one. */
export const SHIPPED_LABEL_CHECK = 'label-check.json';

interface Stored {
  key: string;
  n: number;
  threshold: number;
  estimatedIssues: number | null;
  /** The scores' float32 bytes, base64 (NaN survives, as JSON numbers would not). */
  scores: string;
}

/** The check stored in `file` if it is the one of `key` for n samples, else null. */
export async function loadLabelCheck(file: string, key: string, n: number): Promise<LabelIssues | null> {
  try {
    const s = JSON.parse(await readFile(file, 'utf8')) as Stored;
    const bytes = Buffer.from(s.scores, 'base64');
    if (s.key !== key || s.n !== n || bytes.length !== 4 * n || typeof s.threshold !== 'number') return null;
    const scores = new Float32Array(n);
    new Uint8Array(scores.buffer).set(bytes);
    return { scores, threshold: s.threshold, estimatedIssues: s.estimatedIssues ?? Number.NaN };
  } catch {
    // Absent or damaged: the check runs.
    return null;
  }
}

/** The check of `key` kept in the project, else the one shipped in `shippedDir` (the demo's), else null. */
export async function keptLabelCheck(
  projectDir: string,
  shippedDir: string | null,
  key: string,
  n: number,
): Promise<LabelIssues | null> {
  return (
    (await loadLabelCheck(labelCheckFile(projectDir, key), key, n)) ??
    (shippedDir ? await loadLabelCheck(path.join(shippedDir, SHIPPED_LABEL_CHECK), key, n) : null)
  );
}

export async function saveLabelCheck(projectDir: string, key: string, issues: LabelIssues): Promise<void> {
  const { scores } = issues;
  const stored: Stored = {
    key,
    n: scores.length,
    threshold: issues.threshold,
    estimatedIssues: Number.isFinite(issues.estimatedIssues) ? issues.estimatedIssues : null,
    scores: Buffer.from(scores.buffer, scores.byteOffset, scores.byteLength).toString('base64'),
  };
  const file = labelCheckFile(projectDir, key);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(stored));
  await pruneOld(path.dirname(file), path.basename(file), '.json', KEEP);
}
