// Which imported row belongs to which of the dataset's files: matched by path, one row per
// file. A file listed more than once (a manifest naming it twice) takes as many rows.
import { posix } from 'node:path';
import { DatasetError } from '../types.js';

const SHOWN = 3;

/** A path as a user may have written it ('./a\\b.png') in the form Unsure shows ('a/b.png'). */
export function normalisePath(p: string): string {
  const n = posix.normalize(p.trim().replace(/\\/g, '/'));
  return n.startsWith('./') ? n.slice(2) : n;
}

function few(items: readonly string[]): string {
  const shown = items.slice(0, SHOWN).map((p) => `"${p}"`);
  return items.length > SHOWN ? `${shown.join(', ')} and ${items.length - SHOWN} more` : shown.join(', ');
}

export interface RowMatch {
  /** For each file (in the dataset's order), the index of its row among `paths`. */
  rowOf: Int32Array;
  /** Rows left out because they name files the dataset skipped (unreadable), with a note. */
  notes: string[];
}

/**
 * @param paths the rows' paths in row order
 * @param files the dataset's file paths, one per file, in Unsure's order
 * @param skipped files the dataset refused when it was opened: their rows are left out
 * @param where names the rows' source in errors ("preds.csv", "manifest m.csv")
 */
export function matchRows(
  paths: readonly string[],
  files: readonly string[],
  skipped: readonly string[],
  where: string,
): RowMatch {
  // The files' positions under each path, in order: a path given twice fills both, first to first.
  const slots = new Map<string, number[]>();
  files.forEach((f, i) => {
    const key = normalisePath(f);
    const list = slots.get(key);
    if (list) list.push(i);
    else slots.set(key, [i]);
  });
  const refused = new Set(skipped.map(normalisePath));
  const rowOf = new Int32Array(files.length).fill(-1);
  const used = new Map<string, number>();
  const extra: string[] = [];
  const repeated: string[] = [];
  const dropped: string[] = [];
  paths.forEach((raw, r) => {
    const key = normalisePath(raw);
    const list = slots.get(key);
    if (!list) {
      if (refused.has(key)) dropped.push(raw);
      else extra.push(raw);
      return;
    }
    const n = used.get(key) ?? 0;
    if (n >= list.length) {
      repeated.push(raw);
      return;
    }
    used.set(key, n + 1);
    rowOf[list[n]!] = r;
  });
  if (repeated.length > 0)
    throw new DatasetError(
      `${where}: ${repeated.length} path${repeated.length === 1 ? '' : 's'} given more often than the dataset holds the file: ${few(repeated)}`,
    );
  if (extra.length > 0)
    throw new DatasetError(
      `${where}: ${extra.length} row${extra.length === 1 ? '' : 's'} name${extra.length === 1 ? 's' : ''} no file of the dataset: ${few(extra)}`,
    );
  const missing = files.filter((_, i) => rowOf[i] === -1);
  if (missing.length > 0)
    throw new DatasetError(
      `${where}: no row for ${missing.length} of the dataset's ${files.length} files: ${few(missing)} ` +
        `(one row per file; 'unsure manifest <dataset>' lists them)`,
    );
  const notes =
    dropped.length > 0
      ? [
          `${dropped.length} row${dropped.length === 1 ? '' : 's'} left out: the dataset skipped their files (${few(dropped)})`,
        ]
      : [];
  return { rowOf, notes };
}
