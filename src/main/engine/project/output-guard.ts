// One gate for every path Unsure writes that a user named (`train --out`, `score --out`,
// `--project`, the export folder): datasets are read-only to Unsure, a folder it did not
// make is never replaced, and an unwritable place is found before any work starts. Checks
// are synchronous and cheap (a stat, a listing, a probe file) so callers run them first,
// before TensorFlow loads. Imports nothing heavy on purpose.
import { accessSync, constants, lstatSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isInside, realPath } from './path-inside.js';

/** Written into every model folder Unsure saves: that folder may be replaced by the next save. */
export const MODEL_MARKER = '.unsure-model';
/** Written into every export folder: an earlier export may be replaced by the next one. */
export const EXPORT_MARKER = '.unsure-export';
/** checkpoint.ts's CHECKPOINT_FORMAT (not imported: that module loads TensorFlow). */
const CHECKPOINT_FORMAT = 'unsure-cnn-checkpoint';

/** A refused output; `code` says whether the request is malformed or clashes with what is there. */
export class OutputRefused extends Error {
  constructor(
    message: string,
    readonly code: 'bad_request' | 'conflict' = 'bad_request',
  ) {
    super(message);
    this.name = 'OutputRefused';
  }
}

export interface OutputSpec {
  /** The path as the user gave it. */
  path: string;
  /** A file (replaced atomically), a model folder, an export folder, or a workspace (created as needed). */
  kind: 'file' | 'model' | 'export' | 'workspace';
  /** Dataset paths as given (folder, CSV manifest, IDX file): nothing may be written inside their roots. */
  datasets: readonly (string | undefined)[];
  /** How the message names the output: '--out', 'export folder'. */
  what: string;
  /** Refuse a relative path (the API: a server's working directory means nothing to its caller). */
  absoluteOnly?: boolean;
}

/** The folder a dataset path stands for: a folder itself, or the folder of a manifest or IDX file. */
export function datasetRoot(p: string): string {
  const abs = path.resolve(p);
  try {
    return statSync(abs).isDirectory() ? abs : path.dirname(abs);
  } catch {
    return abs;
  }
}

/** Checks spec and returns the output's absolute path; throws OutputRefused having touched nothing. */
export function guardOutput(spec: OutputSpec): string {
  const { what } = spec;
  if (spec.absoluteOnly && !path.isAbsolute(spec.path))
    throw new OutputRefused(`${what} must be an absolute path, got '${spec.path}'`);
  const abs = path.resolve(spec.path);
  const folder = spec.kind !== 'file';
  for (const ds of spec.datasets) {
    if (!ds) continue;
    const root = datasetRoot(ds);
    if (isInside(abs, root))
      throw new OutputRefused(
        `${what} ${abs} is inside the source dataset ${realPath(root)}; datasets are read-only to Unsure. Choose a folder elsewhere.`,
      );
    if (folder && isInside(root, abs))
      throw new OutputRefused(`${what} ${abs} holds the dataset ${realPath(root)}; Unsure never replaces a dataset`);
  }
  if (spec.kind === 'workspace') return abs;
  const info = lstatOrNull(abs);
  if (spec.kind === 'file') {
    if (info?.isDirectory()) throw new OutputRefused(`${what} ${abs} is a folder, expected a file name`);
  } else if (info) {
    checkReplaceableFolder(abs, spec.kind === 'model' ? MODEL_MARKER : EXPORT_MARKER, what);
  }
  requireWritableParent(abs, what);
  return abs;
}

function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/** An existing output folder may be replaced only when it is empty or Unsure made it. */
function checkReplaceableFolder(abs: string, marker: string, what: string): void {
  const info = statSync(abs);
  if (!info.isDirectory()) throw new OutputRefused(`${what} ${abs} exists and is not a folder`);
  const entries = readdirSync(abs);
  if (entries.length === 0 || entries.includes(marker)) return;
  if (marker === MODEL_MARKER && isLegacyCheckpoint(abs, entries)) return;
  throw new OutputRefused(
    `${what} ${abs} is not empty (${entries.length} entries) and Unsure did not make it (no ${marker} inside); ` +
      `choose a new or empty folder so nothing is overwritten`,
    'conflict',
  );
}

/** A checkpoint saved before markers existed: exactly model.json (in our format) and weights.bin. */
function isLegacyCheckpoint(abs: string, entries: string[]): boolean {
  if (entries.length !== 2 || !entries.includes('model.json') || !entries.includes('weights.bin')) return false;
  try {
    return (
      (JSON.parse(readFileSync(path.join(abs, 'model.json'), 'utf8')) as { format?: unknown }).format ===
      CHECKPOINT_FORMAT
    );
  } catch {
    return false;
  }
}

function whyNotWritable(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'it is on a read-only file system';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'ENOENT':
      // e.g. /proc, which lists as a folder but takes no new files.
      return 'it takes no new files';
    default:
      return `it takes no new files (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}

/** The parent must exist, be a folder, and take a new file (access() alone misses read-only mounts). */
export function requireWritableParent(abs: string, what: string): void {
  const parent = path.dirname(abs);
  let info;
  try {
    info = statSync(parent);
  } catch {
    throw new OutputRefused(`${what}: folder ${parent} does not exist`);
  }
  if (!info.isDirectory()) throw new OutputRefused(`${what}: ${parent} is not a folder`);
  const probe = path.join(parent, `.unsure-probe-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    accessSync(parent, constants.W_OK);
    writeFileSync(probe, '', { flag: 'wx' });
  } catch (err) {
    throw new OutputRefused(`${what}: cannot write in folder ${parent}: ${whyNotWritable(err)}; nothing was done`);
  }
  rmSync(probe, { force: true });
}
