// The export's manifest: one row per exported image, in CSV and JSON lines. The CSV starts
// with `path,label` (path relative to the manifest, label = final label) so Unsure's own CSV
// reader can open the export as a dataset; the other columns record where each image came
// from and what the reviewer decided, so the correction is auditable.
import type { ScoreTable } from '../engine-client.js';
import { csvCell } from '../datasets/csv.js';

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
] as const;

export const SCORE_COLUMNS = [
  'predicted',
  'confidence',
  'msp',
  'margin',
  'entropy',
  'energy',
  'knn_distance',
  'ood_score',
  'label_issue',
  'review_priority',
] as const;

export function manifestColumns(withIdx: boolean, withScores: boolean): string[] {
  return [...BASE_COLUMNS, ...(withIdx ? ['idx_index'] : []), ...(withScores ? SCORE_COLUMNS : [])];
}

/** Float32 scores carry ~7 significant digits; printing more would only add noise. */
function num(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(7)) : null;
}

export function scoreCells(table: ScoreTable, i: number): Record<(typeof SCORE_COLUMNS)[number], Cell> {
  return {
    predicted: table.classes[table.predicted[i]!] ?? null,
    confidence: num(table.confidence[i]!),
    msp: num(table.msp[i]!),
    margin: num(table.margin[i]!),
    entropy: num(table.entropy[i]!),
    energy: num(table.energy[i]!),
    knn_distance: num(table.knnDistance[i]!),
    ood_score: num(table.oodScore[i]!),
    label_issue: num(table.labelIssue[i]!),
    review_priority: num(table.reviewPriority[i]!),
  };
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
