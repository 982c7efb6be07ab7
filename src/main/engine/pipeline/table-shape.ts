// The shape of a ScoreTable, checked where a table is taken in (the service's setTable, the
// CSV writer): every per-sample column has one value per sample, so the read models may
// index any column by a sample index without finding a hole.
import type { ScoreTable } from '../engine-types.js';

const PER_SAMPLE = [
  'predicted',
  'confidence',
  'msp',
  'margin',
  'entropy',
  'energy',
  'knnDistance',
  'mcDisagreement',
  'oodScore',
  'labelIssue',
  'reviewPriority',
  'flags',
] as const satisfies readonly (keyof ScoreTable)[];

/** Throws naming `what` unless every per-sample score column of `t` has `n` values. */
export function expectSampleColumns(t: ScoreTable, n: number, what: string): void {
  const problem = columnProblem(t, n);
  if (problem) throw new Error(`${what}: ${problem}`);
}

function columnProblem(t: ScoreTable, n: number): string | null {
  for (const name of PER_SAMPLE) {
    if (t[name].length !== n) return `column ${name} has ${t[name].length} values for ${n} samples`;
  }
  return null;
}

/** The first thing wrong with `t` as the table of `n` samples, or null. */
export function scoreTableProblem(t: ScoreTable, n: number): string | null {
  const columns = columnProblem(t, n);
  if (columns) return columns;
  if (t.scored && t.scored.length !== n) return `column scored has ${t.scored.length} values for ${n} samples`;
  const C = t.classes.length;
  if (t.probs.length !== n * C) return `probs has ${t.probs.length} values for ${n} samples x ${C} classes`;
  if (!(Number.isInteger(t.k) && t.k >= 0)) return `k is ${t.k}`;
  for (const name of ['neighbours', 'neighbourSims'] as const) {
    if (t[name].length !== n * t.k) return `${name} has ${t[name].length} values for ${n} samples x k ${t.k}`;
  }
  for (const p of t.predicted) if (!(p >= -1 && p < C)) return `a predicted class is ${p}, of ${C} classes`;
  for (const j of t.neighbours) if (!(j >= -1 && j < n)) return `a neighbour is ${j}, of ${n} samples`;
  for (const j of t.heldOutIndices) if (!(j >= 0 && j < n)) return `a held-out index is ${j}, of ${n} samples`;
  return null;
}

/** Throws naming `what` and the problem unless `t` is a table of `n` samples. */
export function expectScoreTable(t: ScoreTable, n: number, what: string): void {
  const problem = scoreTableProblem(t, n);
  if (problem) throw new Error(`${what}: ${problem}`);
}
