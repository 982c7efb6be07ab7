import { useCallback, useRef } from 'react';
import { errorMessage, type ProjectInfo } from '../../../shared/api';
import { lastUndoableBatch } from '../../../shared/journal-fold';
import { itemAt } from '../../../shared/checked-index';
import type { RendererBridge } from '../bridge';
import { decisionEntries, undoEntry, type Decision, type DecisionTarget } from '../journal/decide';
import { newId } from '../journal/ids';
import type { QueueView } from '../queue/view';
import type { JournalState } from './useJournal';
import type { NoticesState } from './useNotices';
import type { Selection } from './useSelection';

export interface DecisionsInput {
  bridge: RendererBridge;
  project: ProjectInfo | null;
  queue: QueueView | null;
  idToRow: ReadonlyMap<string, number>;
  journal: JournalState;
  selection: Selection;
  reviewer: string;
  notices: Pick<NoticesState, 'notify' | 'onError'>;
}

/** Decide (on the selection or the current sample), undo the last batch, select similar. */
export function useDecisions({
  bridge,
  project,
  queue,
  idToRow,
  journal,
  selection,
  reviewer,
  notices,
}: DecisionsInput) {
  const { notify, onError } = notices;
  const { targetIds, nextAfter, setSelected, setCurrentId, setAnchor, effectiveId } = selection;
  const deciding = useRef(false);

  const decide = useCallback(
    async (d: Decision) => {
      if (!queue || !project || deciding.current) return;
      const ids = targetIds();
      if (ids.length === 0) return;
      const targets: DecisionTarget[] = [];
      for (const id of ids) {
        const row = idToRow.get(id);
        if (row === undefined) continue;
        const g = itemAt(queue.given, row, 'queue labels');
        const s = journal.fold.samples.get(id);
        const p = itemAt(queue.predicted, row, 'queue predictions');
        const predicted = project.classes[p];
        if (predicted === undefined) throw new Error(`sample ${id}: predicted class ${p} is unknown`);
        targets.push({
          sampleId: id,
          given: g >= 0 ? (project.labels[g] ?? null) : null,
          predicted,
          current: s?.decided ? s.label : null,
        });
      }
      const entries = decisionEntries(d, targets, {
        batchId: newId(),
        at: new Date().toISOString(),
        reviewer: reviewer.trim() || 'anonymous',
        newId,
      });
      if (entries.length === 0) {
        notify('info', 'Keep needs a given label, and this sample has none: accept the prediction or relabel it.');
        return;
      }
      const next = nextAfter(new Set(ids));
      deciding.current = true;
      try {
        // The decision is in IndexedDB before the view moves on: a crash right after loses nothing.
        await journal.append(entries);
      } catch (err) {
        onError(`Could not save the decision in this browser: ${errorMessage(err)}`);
        return;
      } finally {
        deciding.current = false;
      }
      setSelected(new Set());
      if (next) {
        setCurrentId(next);
        setAnchor(null);
      }
    },
    [
      queue,
      project,
      targetIds,
      idToRow,
      journal,
      reviewer,
      nextAfter,
      notify,
      onError,
      setSelected,
      setCurrentId,
      setAnchor,
    ],
  );

  const undo = useCallback(async () => {
    const batch = lastUndoableBatch(journal.fold);
    if (!batch) {
      notify('info', 'Nothing to undo.');
      return;
    }
    const ids = journal.entries
      .filter((e) => e.kind === 'decision' && e.batchId === batch)
      .map((e) => (e.kind === 'decision' ? e.sampleId : ''));
    try {
      await journal.append([
        undoEntry(batch, { at: new Date().toISOString(), reviewer: reviewer.trim() || 'anonymous', newId }),
      ]);
    } catch (err) {
      onError(`Could not save the undo in this browser: ${errorMessage(err)}`);
      return;
    }
    // Bring the reverted samples back into view: they are what the reviewer wants to redo.
    const [first] = ids;
    if (first !== undefined) setCurrentId(first);
    setSelected(ids.length > 1 ? new Set(ids) : new Set());
  }, [journal, reviewer, notify, onError, setCurrentId, setSelected]);

  const selectSimilar = useCallback(async () => {
    if (!effectiveId) return;
    try {
      const ids = await bridge.invoke('similar', { id: effectiveId, k: 50 });
      const known = ids.filter((id) => idToRow.has(id));
      setSelected(new Set([effectiveId, ...known]));
      notify(
        'info',
        `Selected ${known.length} samples similar to this one; the next decision applies to all ${known.length + 1}.`,
      );
    } catch (err) {
      onError(`Select similar failed: ${errorMessage(err)}`);
    }
  }, [bridge, effectiveId, idToRow, notify, onError, setSelected]);

  const canUndo = lastUndoableBatch(journal.fold) !== null;
  return { decide, undo, selectSimilar, canUndo };
}
