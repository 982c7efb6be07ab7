// Label conflicts: identical files given different labels. One of the labels is wrong for
// certain, so the sample is a likely label error on every copy (label_issue 1, flagged)
// until a reviewer gives it a label; it trains on neither (its label is null until then).
import { DoubtFlag } from '../../../shared/api.js';
import type { ScoreTable, SplitCopyGroup } from '../engine-types.js';
import { LABEL_ISSUE_FLOOR, type LabelIssues } from '../scores/index.js';

/** Samples whose files disagree about their label. */
export function conflictSamples(copies: readonly SplitCopyGroup[]): Int32Array {
  return Int32Array.from(copies.filter((g) => g.conflict).map((g) => g.sample));
}

/** The conflicts no reviewer has settled yet: their current label is still null. */
export function openConflicts(conflicts: Int32Array, labels: readonly (string | null)[]): Int32Array {
  return conflicts.filter((r) => labels[r] === null);
}

/**
 * The label issues to score with: the open conflicts at 1 (certainly one label is wrong),
 * every other row as the label check left it (or NaN when it has not run).
 */
export function withConflicts(issues: LabelIssues | null, open: Int32Array, n: number): LabelIssues | null {
  if (open.length === 0) return issues;
  const scores = issues ? Float32Array.from(issues.scores) : new Float32Array(n).fill(Number.NaN);
  for (const r of open) scores[r] = 1;
  return {
    scores,
    threshold: issues?.threshold ?? LABEL_ISSUE_FLOOR,
    estimatedIssues: issues?.estimatedIssues ?? Number.NaN,
  };
}

/** Flags the open conflicts a table scored as label issues, whatever the threshold (in place). */
export function flagConflicts(table: ScoreTable, open: Int32Array): void {
  for (const r of open) if (!table.scored || table.scored[r]) table.flags[r] = table.flags[r]! | DoubtFlag.labelIssue;
}
