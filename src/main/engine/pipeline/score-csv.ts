// A ScoreTable as CSV: one row per chosen sample, every score column, RFC 4180 quoting.
// Numbers keep 6 significant digits; an unavailable score (NaN) is an empty cell.
import { DoubtFlag } from '../../../shared/api.js';
import type { EngineSample, ScoreTable } from '../engine-client.js';
import { csvCell } from '../datasets/csv.js';

export const SCORE_CSV_COLUMNS = [
  'id',
  'path',
  'split',
  'label',
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
  'rank',
  'flags',
] as const;

function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '';
}

export function flagNames(bits: number): string {
  const names: string[] = [];
  if (bits & DoubtFlag.ood) names.push('ood');
  if (bits & DoubtFlag.lowConfidence) names.push('low_confidence');
  if (bits & DoubtFlag.labelIssue) names.push('label_issue');
  return names.join(';');
}

/** rows: sample indices to write, in the order given; `rank` is 1 for the most doubtful of them. */
export function scoreTableToCsv(samples: readonly EngineSample[], table: ScoreTable, rows: readonly number[]): string {
  const byPriority = [...rows].sort((a, b) => table.reviewPriority[b] - table.reviewPriority[a]);
  const rank = new Map(byPriority.map((r, i) => [r, i + 1]));
  const lines = [SCORE_CSV_COLUMNS.join(',')];
  for (const i of rows) {
    const s = samples[i];
    lines.push(
      [
        csvCell(s.id),
        csvCell(s.path),
        s.split,
        csvCell(s.label ?? ''),
        csvCell(table.classes[table.predicted[i]]),
        num(table.confidence[i]),
        num(table.msp[i]),
        num(table.margin[i]),
        num(table.entropy[i]),
        num(table.energy[i]),
        num(table.knnDistance[i]),
        num(table.oodScore[i]),
        num(table.labelIssue[i]),
        num(table.reviewPriority[i]),
        String(rank.get(i)),
        flagNames(table.flags[i]),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
