// One row per file, for everything a user joins back to their files (the score CSV, the
// export manifests). Samples are one per content (scores and pixels stored once); this fans
// them out to every file that holds that content, in each dataset's load order.
import type { EngineSample, SplitCopyGroup } from '../engine-types.js';

export interface FileRow {
  /** Index into the samples (and every per-sample column of the score table). */
  sample: number;
  /** The sample's id (the hash of the bytes every copy shares). */
  id: string;
  path: string;
  split: 'train' | 'pool';
  /** The label this file was given (not the sample's: a label conflict has several). */
  label: string | null;
  /** Absolute path of the file, or null for IDX records and generated samples. */
  file: string | null;
  /**
   * The first file of the same bytes; '' for that first file and for a file without copies.
   * Prefixed 'train:' when that first file is in the training dataset and this one in the pool.
   */
  duplicateOf: string;
  /** The sample's files were given different labels. */
  conflict: boolean;
}

/** The rows of one dataset (or of both, training first), each in its load order. */
export function fileRows(
  samples: readonly EngineSample[],
  copies: readonly SplitCopyGroup[],
  split?: 'train' | 'pool',
): FileRow[] {
  if (!split) return [...fileRows(samples, copies, 'train'), ...fileRows(samples, copies, 'pool')];
  const groupOf = new Map(copies.map((g) => [g.sample, g]));
  // The files that are not a sample's own in this dataset, with their load positions.
  const extra: { at: number; row: FileRow }[] = [];
  for (const g of copies) {
    const first = g.files[0]!;
    g.files.forEach((f, j) => {
      if (j === 0 || f.split !== split) return;
      const duplicateOf = first.split === f.split ? first.path : `${first.split}:${first.path}`;
      extra.push({ at: f.at, row: { ...rowOf(samples, g, f), duplicateOf } });
    });
  }
  extra.sort((a, b) => a.at - b.at);
  const own: FileRow[] = [];
  samples.forEach((s, i) => {
    if (s.split !== split) return;
    const g = groupOf.get(i);
    own.push(
      g
        ? rowOf(samples, g, { ...g.files[0]!, split })
        : { sample: i, id: s.id, path: s.path, split, label: s.label, file: s.file, duplicateOf: '', conflict: false },
    );
  });
  // The samples fill the places the copies leave (merge-splits.ts, ownPositions).
  const out: FileRow[] = [];
  let e = 0;
  let o = 0;
  while (o < own.length || e < extra.length) {
    if (e < extra.length && (extra[e]!.at === out.length || o === own.length)) out.push(extra[e++]!.row);
    else out.push(own[o++]!);
  }
  return out;
}

function rowOf(
  samples: readonly EngineSample[],
  g: SplitCopyGroup,
  f: { path: string; file: string | null; label: string | null; split: 'train' | 'pool' },
): FileRow {
  return {
    sample: g.sample,
    id: samples[g.sample]!.id,
    path: f.path,
    split: f.split,
    label: f.label,
    file: f.file,
    duplicateOf: '',
    conflict: g.conflict,
  };
}

/** How many files repeat an earlier file, and how many samples are label conflicts, among these rows. */
export function copyCounts(rows: readonly FileRow[]): { duplicates: number; conflicts: number } {
  let duplicates = 0;
  const conflicts = new Set<number>();
  for (const r of rows) {
    if (r.duplicateOf !== '') duplicates++;
    if (r.conflict) conflicts.add(r.sample);
  }
  return { duplicates, conflicts: conflicts.size };
}
