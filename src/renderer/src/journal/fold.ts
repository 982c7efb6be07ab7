// The current label of every sample is never stored: it is folded from the append-only
// journal, so a reload, a second browser or the CLI all reach the same state from the
// same entries, and an undo is just one more entry.
import type { DecisionAction, JournalEntry } from '../../../shared/api.js';

export type DecisionEntry = Extract<JournalEntry, { kind: 'decision' }>;
export type UndoEntry = Extract<JournalEntry, { kind: 'undo' }>;

export interface SampleState {
  /** Label the sample carries now: the last effective non-skip decision's `after`. */
  label: string | null;
  /** The last effective action (including 'skip'). */
  action: DecisionAction;
  batchId: string;
  at: string;
  /** Label the sample had before any decision was ever journaled for it (its given label). */
  origin: string | null;
  /** True when the last effective action is a real decision, not a skip. */
  decided: boolean;
}

export interface FoldResult {
  samples: Map<string, SampleState>;
  /** Batches reverted by an undo entry. */
  undone: Set<string>;
  /** Batches still in effect, oldest first (what the next undo may revert). */
  liveBatches: string[];
}

/** Orders entries the same way on every machine: by time, then by id. */
export function compareEntries(a: JournalEntry, b: JournalEntry): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0;
}

/** Union by entryId (the journal is idempotent by entryId), sorted by compareEntries. */
export function mergeJournals(...lists: readonly (readonly JournalEntry[])[]): JournalEntry[] {
  const byId = new Map<string, JournalEntry>();
  for (const list of lists) for (const e of list) if (!byId.has(e.entryId)) byId.set(e.entryId, e);
  return [...byId.values()].sort(compareEntries);
}

export function foldJournal(entries: readonly JournalEntry[]): FoldResult {
  const sorted = [...entries].sort(compareEntries);
  // An undo reverts its whole batch whatever the order, so collect them first.
  const undone = new Set<string>();
  for (const e of sorted) if (e.kind === 'undo') undone.add(e.batchId);

  const samples = new Map<string, SampleState>();
  const origins = new Map<string, string | null>();
  const batchOrder: string[] = [];
  const seenBatch = new Set<string>();
  for (const e of sorted) {
    if (e.kind !== 'decision') continue;
    if (!origins.has(e.sampleId)) origins.set(e.sampleId, e.before);
    if (undone.has(e.batchId)) continue;
    if (!seenBatch.has(e.batchId)) {
      seenBatch.add(e.batchId);
      batchOrder.push(e.batchId);
    }
    const prev = samples.get(e.sampleId);
    const origin = origins.get(e.sampleId) ?? null;
    if (e.action === 'skip') {
      // A skip records that the sample was seen; it does not erase an earlier label.
      samples.set(e.sampleId, {
        label: prev?.label ?? null,
        action: prev?.decided ? prev.action : 'skip',
        batchId: prev?.decided ? prev.batchId : e.batchId,
        at: e.at,
        origin,
        decided: prev?.decided ?? false,
      });
    } else {
      samples.set(e.sampleId, {
        label: e.after,
        action: e.action,
        batchId: e.batchId,
        at: e.at,
        origin,
        decided: true,
      });
    }
  }
  return { samples, undone, liveBatches: batchOrder };
}

/** A decision corrects the data when it changes a given label, or overrules the model on an unlabeled sample. */
export function isCorrection(s: SampleState): boolean {
  if (!s.decided) return false;
  if (s.origin !== null) return s.label !== s.origin;
  return s.action === 'relabel' || s.action === 'other';
}

export interface SessionStats {
  reviewed: number;
  corrections: number;
  /** Decisions per hour since `since`, null until there are two to measure between. */
  perHour: number | null;
}

/**
 * Reviewed/corrections count the current state of every sample; the rate counts the
 * decision entries made at or after `since` (this session), undone ones included because
 * they were work done.
 */
export function sessionStats(
  entries: readonly JournalEntry[],
  fold: FoldResult,
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
  let first: number | null = null;
  let count = 0;
  for (const e of entries) {
    if (e.kind !== 'decision' || e.at < since) continue;
    count++;
    const t = Date.parse(e.at);
    if (first === null || t < first) first = t;
  }
  let perHour: number | null = null;
  if (first !== null && count >= 2) {
    const hours = Math.max((now - first) / 3_600_000, 1 / 3600);
    perHour = count / hours;
  }
  return { reviewed, corrections, perHour };
}

/** The most recent batch still in effect: what `z` reverts next. */
export function lastUndoableBatch(fold: FoldResult): string | null {
  return fold.liveBatches.length > 0 ? fold.liveBatches[fold.liveBatches.length - 1] : null;
}
