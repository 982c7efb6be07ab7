// A ScoreTable as CSV: one row per chosen sample, every score column, RFC 4180 quoting.
// Scores are written as score-columns.ts says (7 significant digits; NaN is an empty cell).
import { DoubtFlag } from '../../../shared/api.js';
import type { EngineSample, ScoreTable } from '../engine-types.js';
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
] as const;

export function flagNames(bits: number): string {
  const names: string[] = [];
  if (bits & DoubtFlag.ood) names.push('ood');
  if (bits & DoubtFlag.lowConfidence) names.push('low_confidence');
  if (bits & DoubtFlag.labelIssue) names.push('label_issue');
  return names.join(';');
}

/** rows: sample indices to write, in the order given; `rank` is 1 for the most doubtful of them. */
export function scoreTableToCsv(samples: readonly EngineSample[], table: ScoreTable, rows: readonly number[]): string {
  const n = samples.length;
  expectSampleColumns(table, n, 'scoreTableToCsv');
  for (const i of rows)
    if (!(Number.isInteger(i) && i >= 0 && i < n))
      throw new Error(`scoreTableToCsv: row ${i} is not a scored sample index (0..${n - 1})`);
  // Every row is now an index into samples and into each per-sample column of the table.
  const byPriority = [...rows].sort((a, b) => table.reviewPriority[b]! - table.reviewPriority[a]!);
  const rank = new Map(byPriority.map((r, i) => [r, i + 1]));
  const lines = [SCORE_CSV_COLUMNS.join(',')];
  for (const i of rows) {
    const s = itemAt(samples, i, 'samples');
    const scores = scoreRow(table, i);
    lines.push(
      [
        csvCell(s.id),
        csvCell(s.path),
        s.split,
        csvCell(s.label ?? ''),
        csvCell(scores.predicted ?? ''), // a pending row (predicted -1) has none
        ...SCORE_VALUE_NAMES.map((name) => String(scores[name] ?? '')),
        String(rank.get(i)),
        flagNames(itemAt(table.flags, i, 'flags')),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
