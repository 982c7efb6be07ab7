// Filters over the column-wise queue. Rows stay in review-priority order (the queue
// arrives sorted), so a filter is just the subsequence of row numbers that pass.
import { DoubtFlag, FileFlag, type DoubtKind } from '../../../shared/api.js';
import type { QueueView } from './view.js';

export type DoubtTab = 'all' | DoubtKind;
export type DecisionFilter = 'all' | 'toReview' | 'decided';
/** Samples by their files: any, those with copies, those whose copies were given different labels. */
export type FilesFilter = 'all' | 'copies' | 'labelConflict';

export interface QueueFilter {
  doubt: DoubtTab;
  /** Index into ProjectInfo.classes, or -1 for any. */
  predicted: number;
  /** Index into ProjectInfo.labels, -1 for any, -2 for unlabeled only. */
  given: number;
  decision: DecisionFilter;
  files: FilesFilter;
}

export const ANY = -1;
export const UNLABELED = -2;

export const DEFAULT_FILTER: QueueFilter = { doubt: 'all', predicted: ANY, given: ANY, decision: 'all', files: 'all' };

export function passesDoubt(flags: number, tab: DoubtTab): boolean {
  return tab === 'all' || (flags & DoubtFlag[tab]) !== 0;
}

/** Row numbers of the queue that pass the filter, in queue order. `decided[row]` is 1 for decided rows. */
export function filterRows(
  q: Pick<QueueView, 'flags' | 'predicted' | 'given'>,
  decided: Uint8Array,
  f: QueueFilter,
): Int32Array {
  const n = q.flags.length;
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!passesDoubt(q.flags[i]!, f.doubt)) continue; // i < n = flags.length (joinQueue: every column has n)
    if (f.predicted !== ANY && q.predicted[i] !== f.predicted) continue;
    if (f.given === UNLABELED ? q.given[i] !== -1 : f.given !== ANY && q.given[i] !== f.given) continue;
    if (f.decision === 'decided' && !decided[i]) continue;
    if (f.decision === 'toReview' && decided[i]) continue;
    if (f.files !== 'all' && (q.flags[i]! & FileFlag[f.files]) === 0) continue;
    out[k++] = i;
  }
  return out.subarray(0, k);
}

/** How many rows each doubt tab would show (ignoring the other filters), for the tab labels. */
export function doubtCounts(flags: readonly number[]): Record<DoubtTab, number> {
  const c: Record<DoubtTab, number> = { all: flags.length, lowConfidence: 0, ood: 0, labelIssue: 0 };
  for (const f of flags) {
    if (f & DoubtFlag.lowConfidence) c.lowConfidence++;
    if (f & DoubtFlag.ood) c.ood++;
    if (f & DoubtFlag.labelIssue) c.labelIssue++;
  }
  return c;
}
