// The score columns every output carries (the CLI's CSV, the export's manifests), in one
// place: their names, where each comes from in a ScoreTable, and how a value is written.
import type { ScoreTable } from '../engine-types.js';
import { itemAt } from '../../../shared/checked-index.js';

/** Output name -> the ScoreTable column, in output order. */
export const SCORE_VALUE_COLUMNS = {
  confidence: (t: ScoreTable) => t.confidence,
  msp: (t: ScoreTable) => t.msp,
  margin: (t: ScoreTable) => t.margin,
  entropy: (t: ScoreTable) => t.entropy,
  energy: (t: ScoreTable) => t.energy,
  knn_distance: (t: ScoreTable) => t.knnDistance,
  mc_disagreement: (t: ScoreTable) => t.mcDisagreement,
  ood_score: (t: ScoreTable) => t.oodScore,
  label_issue: (t: ScoreTable) => t.labelIssue,
  review_priority: (t: ScoreTable) => t.reviewPriority,
} as const;

export type ScoreValueColumn = keyof typeof SCORE_VALUE_COLUMNS;
export const SCORE_VALUE_NAMES = Object.keys(SCORE_VALUE_COLUMNS) as ScoreValueColumn[];

/**
 * A score as written: Float32 carries about 7 significant digits, so more would only add
 * noise; a score that does not exist for the sample (NaN, e.g. label_issue of an unlabeled
 * one) is null, an empty cell.
 */
export function scoreValue(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(7)) : null;
}

/** Row i's predicted class and every score value, by output name. */
export function scoreRow(
  table: ScoreTable,
  i: number,
): { predicted: string | null } & Record<ScoreValueColumn, number | null> {
  // A pending row (predicted -1) has no predicted class.
  const predicted = table.classes[itemAt(table.predicted, i, 'score table predicted')] ?? null;
  const row = { predicted } as { predicted: string | null } & Record<ScoreValueColumn, number | null>;
  for (const name of SCORE_VALUE_NAMES) row[name] = scoreValue(itemAt(SCORE_VALUE_COLUMNS[name](table), i, name));
  return row;
}
