// The export's manifest: one row per exported file (copies of one sample each get theirs), in CSV and JSON lines. The CSV starts
// with `path,label` (path relative to the manifest, label = final label) so Unsure's own CSV
// reader can open the export as a dataset; the other columns record where each image came
// from and what the reviewer decided, so the correction is auditable.
import { csvCell } from '../datasets/csv.js';
import { SCORE_VALUE_NAMES } from '../pipeline/score-columns.js';

export type Cell = string | number | null;
export type ManifestRow = Record<string, Cell>;

export const BASE_COLUMNS = [
  'path',
  'label',
  'id',
  'split',
  'source_path',
  'source_file',
  'original_label',
  'decision',
  'decided_at',
  'reviewer',
  'duplicate_of',
] as const;

export const SCORE_COLUMNS = ['predicted', ...SCORE_VALUE_NAMES] as const;

export function manifestColumns(withIdx: boolean, withScores: boolean): string[] {
  return [...BASE_COLUMNS, ...(withIdx ? ['idx_index'] : []), ...(withScores ? SCORE_COLUMNS : [])];
}

export function csvLine(columns: readonly string[], row: ManifestRow): string {
  return (
    columns
      .map((c) => {
        const v = row[c] ?? null;
        return v === null ? '' : csvCell(String(v));
      })
      .join(',') + '\n'
  );
}

export function csvHeader(columns: readonly string[]): string {
  return columns.join(',') + '\n';
}

export function jsonLine(columns: readonly string[], row: ManifestRow): string {
  const obj: Record<string, Cell> = {};
  for (const c of columns) obj[c] = row[c] ?? null;
  return JSON.stringify(obj) + '\n';
}
