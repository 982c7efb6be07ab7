// What the session bar counts, from the shared fold (src/shared/journal-fold.ts).
import type { JournalEntry } from '../../../shared/api.js';
import type { JournalFold, SampleState } from '../../../shared/journal-fold.js';

/** A decision corrects the data when it changes a given label, or overrules the model on an unlabeled sample. */
export function isCorrection(s: SampleState): boolean {
  if (!s.decided) return false;
  if (s.origin !== null) return s.label !== s.origin;
  return s.action === 'relabel' || s.action === 'other';
}

const MIN_RATE_WINDOW_MS = 60_000;

export interface SessionStats {
  reviewed: number;
  corrections: number;
  /** Decisions per hour since this session's first, null until two of them and a minute. */
  perHour: number | null;
}

/**
 * Reviewed/corrections count the current state of every sample; the rate counts the
 * decision entries made at or after `since` (this session), undone ones included because
 * they were work done.
 */
export function sessionStats(
  entries: readonly JournalEntry[],
  fold: JournalFold,
  since: string,
  now: number,
): SessionStats {
  let reviewed = 0;
  let corrections = 0;
  for (const s of fold.samples.values()) {
    if (!s.decided) continue;
    reviewed++;
    if (isCorrection(s)) corrections++;
  }
  const sinceT = Date.parse(since);
  let first: number | null = null;
  let count = 0;
  for (const e of entries) {
    if (e.kind !== 'decision') continue;
    // Instants, not strings: the journal's own order (journal-fold.ts) compares them so.
    const t = Date.parse(e.at);
    if (t < sinceT) continue;
    count++;
    if (first === null || t < first) first = t;
  }
  let perHour: number | null = null;
  // Not before a minute of work: one bulk decision of 50 similar samples in its first second
  // would read as 180,000 an hour.
  if (first !== null && count >= 2 && now - first >= MIN_RATE_WINDOW_MS) perHour = count / ((now - first) / 3_600_000);
  return { reviewed, corrections, perHour };
}
