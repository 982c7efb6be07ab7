// The one fold of the decision journal into each sample's current label. The engine
// (training labels, export), the service (read models) and the renderer (tiles, undo) all
// call this, so the label a tile shows is the label training and export use. Pure: no
// Node, no DOM; the same entries in any file order give the same result.
//
// The contract (docs/architecture.md, "The decision journal"):
// - Order: by the instant of `at` (Date.parse, millisecond precision), then by `entryId`.
//   Never file order: two windows sync their queued entries in either order. `at` is not
//   compared as a string because the schema accepts any number of fractional digits, and
//   "…:00Z" sorts after "…:00.5Z" as a string although it is earlier; the app writes
//   toISOString (always 3 digits), where both orders agree. Entries of one millisecond are
//   ordered by entryId, which every side knows.
// - An undo entry reverts every decision of its batch, wherever either sits in time: an
//   undone batch stays undone, and its decisions are as if never made.
// - keep: the given label. other: OTHER_LABEL. accept and relabel: the entry's `after`
//   (the prediction accepted, the label chosen). skip: no label change; the sample is only
//   seen, and a skip after a real decision changes nothing at all.
// - An entry whose `after` contradicts its action: for keep, other and skip the action
//   wins and `after` is ignored; an accept or relabel without `after` says nothing and is
//   ignored (it neither labels nor marks the sample decided). appendJournal refuses all of
//   these (entryProblem), so only journals written before that check can hold them.
import { OTHER_LABEL, type DecisionAction, type JournalEntry } from './api.js';

export type DecisionEntry = Extract<JournalEntry, { kind: 'decision' }>;
export type UndoEntry = Extract<JournalEntry, { kind: 'undo' }>;

/**
 * The dataset's label of each sample (null: unlabeled). A sample this side does not know
 * (absent: the renderer before the queue lists it) makes keep fall back to its `after`,
 * which appendJournal has checked is the given label.
 */
export type GivenLabels = ReadonlyMap<string, string | null>;

export interface SampleState {
  /** The sample's label now: its given label until a surviving decision changes it. */
  label: string | null;
  /** Action of the latest surviving decision, or 'skip' when the sample was only seen. */
  action: DecisionAction;
  /** Batch of that entry. */
  batchId: string;
  at: string;
  reviewer: string;
  /** The given label (or, where it is not known, `before` of the sample's first entry). */
  origin: string | null;
  /** True when a reviewer set the label (any surviving action but 'skip'). */
  decided: boolean;
}

export interface JournalFold {
  /** Samples with at least one surviving entry; the others keep their given label. */
  samples: Map<string, SampleState>;
  /** Batches reverted by an undo entry. */
  undone: Set<string>;
  /** Batches still in effect, oldest first (what the next undo may revert). */
  liveBatches: string[];
}

/** Milliseconds of `at`; an unparseable one (the schema refuses it) sorts first. */
function instant(at: string): number {
  const t = Date.parse(at);
  return Number.isNaN(t) ? -Infinity : t;
}

/** The journal's order on every machine: by the instant of `at`, then by entryId. */
export function compareEntries(a: JournalEntry, b: JournalEntry): number {
  const ta = instant(a.at);
  const tb = instant(b.at);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0;
}

/** Union by entryId (the journal is idempotent by entryId), in the journal's order. */
export function mergeJournals(...lists: readonly (readonly JournalEntry[])[]): JournalEntry[] {
  const byId = new Map<string, JournalEntry>();
  for (const list of lists) for (const e of list) if (!byId.has(e.entryId)) byId.set(e.entryId, e);
  return [...byId.values()].sort(compareEntries);
}

/** What a decision does to its sample's label. */
export type LabelEffect =
  | { kind: 'set'; label: string | null }
  /** A skip: the sample is seen, its label stays. */
  | { kind: 'unchanged' }
  /** An accept or relabel without a label: the entry says nothing. */
  | { kind: 'ignored' };

/** What `e` does to the label. `given` undefined: this side does not know the sample's given label. */
export function labelEffect(e: DecisionEntry, given: string | null | undefined): LabelEffect {
  switch (e.action) {
    case 'keep':
      return { kind: 'set', label: given === undefined ? e.after : given };
    case 'other':
      return { kind: 'set', label: OTHER_LABEL };
    case 'skip':
      return { kind: 'unchanged' };
    case 'accept':
    case 'relabel':
      return e.after === null ? { kind: 'ignored' } : { kind: 'set', label: e.after };
  }
}

/** Why appendJournal must refuse this decision (its `after` contradicts its action), or null. */
export function entryProblem(e: DecisionEntry, given: string | null): string | null {
  const want = (label: string | null) => `${e.action} must have after ${JSON.stringify(label)}`;
  switch (e.action) {
    case 'keep':
      return e.after === given ? null : `${want(given)} (the given label), not ${JSON.stringify(e.after)}`;
    case 'other':
      return e.after === OTHER_LABEL ? null : `${want(OTHER_LABEL)}, not ${JSON.stringify(e.after)}`;
    case 'skip':
      return e.after === null ? null : `${want(null)} (a skip changes no label), not ${JSON.stringify(e.after)}`;
    case 'accept':
    case 'relabel':
      return e.after === null ? `${e.action} must name the label it sets (after is null)` : null;
  }
}

/** Folds the journal (any order) over the given labels. See the contract at the top. */
export function foldJournal(entries: readonly JournalEntry[], given: GivenLabels = new Map()): JournalFold {
  const sorted = [...entries].sort(compareEntries);
  // An undo reverts its whole batch whatever the order, so collect them first.
  const undone = new Set<string>();
  for (const e of sorted) if (e.kind === 'undo') undone.add(e.batchId);

  const samples = new Map<string, SampleState>();
  const firstBefore = new Map<string, string | null>();
  const live: string[] = [];
  const seenBatch = new Set<string>();
  for (const e of sorted) {
    if (e.kind !== 'decision') continue;
    if (!firstBefore.has(e.sampleId)) firstBefore.set(e.sampleId, e.before);
    if (undone.has(e.batchId)) continue;
    const g = given.get(e.sampleId);
    const effect = labelEffect(e, g);
    if (effect.kind === 'ignored') continue;
    const prev = samples.get(e.sampleId);
    if (effect.kind === 'unchanged' && prev?.decided) continue;
    if (!seenBatch.has(e.batchId)) {
      seenBatch.add(e.batchId);
      live.push(e.batchId);
    }
    const origin = g === undefined ? (firstBefore.get(e.sampleId) ?? null) : g;
    samples.set(e.sampleId, {
      label: effect.kind === 'set' ? effect.label : prev ? prev.label : origin,
      action: e.action,
      batchId: e.batchId,
      at: e.at,
      reviewer: e.reviewer,
      origin,
      decided: effect.kind === 'set',
    });
  }
  return { samples, undone, liveBatches: live };
}

/** Each sample's label after the journal, in the samples' order: what training and export use. */
export function finalLabels(
  samples: readonly { id: string; label: string | null }[],
  fold: JournalFold,
): (string | null)[] {
  return samples.map((s) => {
    const f = fold.samples.get(s.id);
    return f ? f.label : s.label;
  });
}

/**
 * What training learns from: a training sample's label as finalLabels gives it, a pool
 * sample's only once a reviewer has decided it. A pool's given labels are what the review
 * checks (their label_issue comes from a model that never saw them), as `unsure score --pool`
 * treats them; trained on, a class named only in the pool would become a class of the model.
 * For that reason a decided label outside `labels` (a kept pool label of such a class) does
 * not train either.
 */
export function trainingLabels(
  samples: readonly { id: string; label: string | null; split: 'train' | 'pool' }[],
  fold: JournalFold,
  labels: ReadonlySet<string>,
): (string | null)[] {
  return samples.map((s) => {
    const f = fold.samples.get(s.id);
    if (s.split === 'pool') return f?.decided && f.label !== null && labels.has(f.label) ? f.label : null;
    return f ? f.label : s.label;
  });
}

/** trainingLabels before any decision: the training split's given labels, the pool's none. */
export function givenTrainingLabels(
  samples: readonly { label: string | null; split: 'train' | 'pool' }[],
): (string | null)[] {
  return samples.map((s) => (s.split === 'train' ? s.label : null));
}

/** The given labels keyed by sample id, as foldJournal wants them. */
export function givenLabelsOf(samples: readonly { id: string; label: string | null }[]): Map<string, string | null> {
  return new Map(samples.map((s) => [s.id, s.label]));
}

/** The most recent batch still in effect: what `z` reverts next. */
export function lastUndoableBatch(fold: JournalFold): string | null {
  return fold.liveBatches.length > 0 ? (fold.liveBatches[fold.liveBatches.length - 1] ?? null) : null;
}
