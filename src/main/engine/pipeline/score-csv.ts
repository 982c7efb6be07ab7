// A ScoreTable as CSV: one row per chosen sample, every score column, RFC 4180 quoting.
// Scores are written as score-columns.ts says (7 significant digits; NaN is an empty cell).
import { DoubtFlag } from '../../../shared/api.js';
import type { EngineSample, ScoreTable } from '../engine-types.js';
import { csvCell } from '../datasets/csv.js';
import { SCORE_VALUE_COLUMNS, SCORE_VALUE_NAMES, scoreValue } from './score-columns.js';

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
  return [...scoreCsvLines(samples, table, rows)].join('');
}

/**
 * The CSV of scoreTableToCsv a line at a time (each ending in a newline, the header first),
 * so a large table is written as it is formatted instead of held as one string.
 */
export function* scoreCsvLines(
  samples: readonly EngineSample[],
  table: ScoreTable,
  rows: readonly number[],
): Generator<string> {
  const n = Math.min(samples.length, table.reviewPriority.length);
  for (const i of rows)
    if (!(Number.isInteger(i) && i >= 0 && i < n))
      throw new Error(`scoreTableToCsv: row ${i} is not a scored sample index (0..${n - 1})`);
  // Every row is now an index into samples and into each per-sample column of the table.
  const byPriority = [...rows].sort((a, b) => table.reviewPriority[b]! - table.reviewPriority[a]!);
  // Rank by sample index in a typed array: a Map of every row costs ~20x more.
  const rank = new Int32Array(n);
  byPriority.forEach((r, i) => (rank[r] = i + 1));
  const columns = SCORE_VALUE_NAMES.map((name) => SCORE_VALUE_COLUMNS[name](table));
  yield `${SCORE_CSV_COLUMNS.join(',')}\n`;
  for (const i of rows) {
    const s = samples[i]!;
    yield (
      [
        csvCell(s.id),
        csvCell(s.path),
        s.split,
        csvCell(s.label ?? ''),
        csvCell(table.classes[table.predicted[i]!] ?? ''), // a pending row (predicted -1) has none
        ...columns.map((col) => String(scoreValue(col[i]!) ?? '')),
        String(rank[i]),
        flagNames(table.flags[i]!),
      ].join(',') + '\n'
    );
  }
}
