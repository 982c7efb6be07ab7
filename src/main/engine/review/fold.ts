// Folding the journal into each sample's current state. Pure: the same entries always
// give the same labels, so training, export and the UI agree on what was decided.
import { OTHER_LABEL, type DecisionAction, type JournalEntry } from '../../../shared/api.js';

export interface FoldedDecision {
  /** The sample's label after the surviving decisions (null: unlabeled). */
  label: string | null;
  /** Action of the latest surviving label-setting decision, or 'skip' when the sample was only viewed. */
  action: DecisionAction;
  at: string;
  reviewer: string;
  /** True when a reviewer set the label (any action but 'skip'). */
  decided: boolean;
}

export type JournalFold = Map<string, FoldedDecision>;

type Decision = Extract<JournalEntry, { kind: 'decision' }>;

/**
 * Applies the journal to the given labels. An undo entry reverts every decision of its
 * batch, wherever that decision sits in the file (an undone batch stays undone). Among the
 * surviving decisions of a sample the latest (by `at`, then by journal order) wins; a
 * 'skip' only records that the sample was seen. Samples with no surviving entry are absent.
 */
export function foldJournal(
  entries: readonly JournalEntry[],
  givenLabels: ReadonlyMap<string, string | null>,
): JournalFold {
  const undone = new Set<string>();
  for (const e of entries) if (e.kind === 'undo') undone.add(e.batchId);

  const surviving: { d: Decision; t: number; order: number }[] = [];
  entries.forEach((e, order) => {
    if (e.kind === 'decision' && !undone.has(e.batchId)) surviving.push({ d: e, t: Date.parse(e.at), order });
  });
  // Timestamps, not file order, decide "latest": two windows (Electron and a browser tab)
  // may sync their queued decisions in either order.
  surviving.sort((a, b) => a.t - b.t || a.order - b.order);

  const fold: JournalFold = new Map();
  for (const { d } of surviving) {
    const given = givenLabels.get(d.sampleId) ?? null;
    const prev = fold.get(d.sampleId);
    const current = prev ? prev.label : given;
    if (d.action === 'skip') {
      if (prev?.decided) continue;
      fold.set(d.sampleId, { label: current, action: 'skip', at: d.at, reviewer: d.reviewer, decided: false });
      continue;
    }
    fold.set(d.sampleId, {
      label: labelAfter(d, given, current),
      action: d.action,
      at: d.at,
      reviewer: d.reviewer,
      decided: true,
    });
  }
  return fold;
}

function labelAfter(d: Decision, given: string | null, current: string | null): string | null {
  switch (d.action) {
    case 'keep':
      return given;
    case 'other':
      return OTHER_LABEL;
    case 'accept':
    case 'relabel':
      // `after` carries the predicted (accept) or chosen (relabel) label; an entry
      // without one changes nothing rather than erasing a label.
      return d.after ?? current;
    case 'skip':
      return current;
  }
}

/** Each sample's training label after the reviewer's decisions, in the samples' order. */
export function finalLabels(
  samples: readonly { id: string; label: string | null }[],
  fold: ReadonlyMap<string, FoldedDecision>,
): (string | null)[] {
  return samples.map((s) => {
    const f = fold.get(s.id);
    return f ? f.label : s.label;
  });
}

/** The given labels keyed by sample id, as foldJournal wants them. */
export function givenLabelsOf(samples: readonly { id: string; label: string | null }[]): Map<string, string | null> {
  return new Map(samples.map((s) => [s.id, s.label]));
}
