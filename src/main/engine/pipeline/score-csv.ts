// A ScoreTable as CSV: one row per chosen file (copies share their sample's scores), every score column, RFC 4180 quoting.
// Scores are written as score-columns.ts says (7 significant digits; NaN is an empty cell).
import { DoubtFlag, FileFlag, OTHER_BY_DISTANCE } from '../../../shared/api.js';
import type { ScoreTable } from '../engine-types.js';
import type { FileRow } from './file-rows.js';
import { csvCell } from '../datasets/csv.js';
import { itemAt } from '../../../shared/checked-index.js';
import { SCORE_VALUE_NAMES, scoreRow } from './score-columns.js';
import { expectSampleColumns } from './table-shape.js';

export const SCORE_CSV_COLUMNS = [
  'id',
  'path',
  'split',
  'label',
  'predicted',
  ...SCORE_VALUE_NAMES,
  'rank',
  'flags',
  'duplicate_of',
] as const;

export function flagNames(bits: number): string {
  const names: string[] = [];
  if (bits & DoubtFlag.ood) names.push('ood');
  if (bits & DoubtFlag.lowConfidence) names.push('low_confidence');
  if (bits & DoubtFlag.labelIssue) names.push('label_issue');
  if (bits & OTHER_BY_DISTANCE) names.push('other_by_distance');
  if (bits & FileFlag.labelConflict) names.push('label_conflict');
  return names.join(';');
}

/**
 * rows: the files to write (fileRows), in the order given; `rank` is 1 for the most
 * doubtful of them (copies share their sample's scores, so they rank side by side).
 */
export function scoreTableToCsv(table: ScoreTable, rows: readonly FileRow[]): string {
  return [...scoreCsvLines(table, rows)].join('');
}

/**
 * The CSV of scoreTableToCsv a line at a time (each ending in a newline, the header first),
 * so a large table is written as it is formatted instead of held as one string.
 */
export function* scoreCsvLines(table: ScoreTable, rows: readonly FileRow[]): Generator<string> {
  const n = table.reviewPriority.length;
  expectSampleColumns(table, n, 'scoreTableToCsv');
  for (const r of rows)
    if (!(Number.isInteger(r.sample) && r.sample >= 0 && r.sample < n))
      throw new Error(
        `scoreTableToCsv: row ${r.path} names sample ${r.sample}, not a scored sample index (0..${n - 1})`,
      );
  // Every row's sample is now an index into each per-sample column of the table.
  const priority = Float32Array.from(rows, (r) => itemAt(table.reviewPriority, r.sample, 'reviewPriority'));
  const byPriority = rows.map((_, j) => j).sort((a, b) => priority[b]! - priority[a]!);
  // Ranks in a typed array: a Map of every row costs ~20x more.
  const rank = new Int32Array(rows.length);
  byPriority.forEach((j, k) => (rank[j] = k + 1));
  yield `${SCORE_CSV_COLUMNS.join(',')}\n`;
  for (let j = 0; j < rows.length; j++) {
    const r = itemAt(rows, j, 'rows');
    const scores = scoreRow(table, r.sample);
    yield (
      [
        csvCell(r.id),
        csvCell(r.path),
        r.split,
        csvCell(r.label ?? ''),
        csvCell(scores.predicted ?? ''), // a pending row (predicted -1) has none
        ...SCORE_VALUE_NAMES.map((name) => String(scores[name] ?? '')),
        String(rank[j]),
        flagNames(itemAt(table.flags, r.sample, 'flags') | (r.conflict ? FileFlag.labelConflict : 0)),
        csvCell(r.duplicateOf),
      ].join(',') + '\n'
    );
  }
}
