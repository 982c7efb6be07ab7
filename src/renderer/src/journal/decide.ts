// Turns one keystroke into journal entries: one entry per target sample, all sharing a
// batchId so that one undo reverts the whole bulk decision.
import { OTHER_LABEL, type DecisionAction, type JournalEntry } from '../../../shared/api.js';
import type { DecisionEntry, UndoEntry } from '../../../shared/journal-fold.js';

export interface DecisionTarget {
  sampleId: string;
  /** The label the dataset gave it, null when unlabeled. */
  given: string | null;
  /** The model's prediction. */
  predicted: string;
  /** Label now in effect (after earlier decisions), null when none. */
  current: string | null;
}

export type Decision = { action: 'relabel'; label: string } | { action: Exclude<DecisionAction, 'relabel'> };

export interface EntryMeta {
  batchId: string;
  at: string;
  reviewer: string;
  newId: () => string;
}

/** What the sample's label becomes; undefined when the decision does not apply (keep on unlabeled). */
export function labelAfter(decision: Decision, t: DecisionTarget): string | null | undefined {
  switch (decision.action) {
    case 'relabel':
      return decision.label;
    case 'other':
      return OTHER_LABEL;
    case 'accept':
      return t.predicted;
    case 'keep':
      return t.given ?? undefined;
    case 'skip':
      return null;
  }
}

export function decisionEntries(
  decision: Decision,
  targets: readonly DecisionTarget[],
  meta: EntryMeta,
): DecisionEntry[] {
  const out: DecisionEntry[] = [];
  for (const t of targets) {
    const after = labelAfter(decision, t);
    if (after === undefined) continue;
    out.push({
      kind: 'decision',
      entryId: meta.newId(),
      batchId: meta.batchId,
      sampleId: t.sampleId,
      action: decision.action,
      before: t.current ?? t.given,
      after,
      at: meta.at,
      reviewer: meta.reviewer,
    });
  }
  return out;
}

export function undoEntry(batchId: string, meta: Omit<EntryMeta, 'batchId'>): UndoEntry {
  return { kind: 'undo', entryId: meta.newId(), batchId, at: meta.at, reviewer: meta.reviewer };
}

export type { JournalEntry };
