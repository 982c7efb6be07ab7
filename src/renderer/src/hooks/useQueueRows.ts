import { useMemo, useState } from 'react';
import type { JournalFold } from '../../../shared/journal-fold';
import { DEFAULT_FILTER, doubtCounts, filterRows, type QueueFilter } from '../queue/filter';
import type { QueueView } from '../queue/view';

const EMPTY_ROWS = new Int32Array(0);

export interface QueueRows {
  filter: QueueFilter;
  setFilter: (f: QueueFilter) => void;
  /** Queue rows that pass the filter, in queue order: what the grid shows. */
  rows: Int32Array;
  counts: ReturnType<typeof doubtCounts>;
  idToRow: ReadonlyMap<string, number>;
}

/** The queue as the grid shows it: filtered, with decided samples marked from the journal's fold. */
export function useQueueRows(queue: QueueView | null, fold: JournalFold): QueueRows {
  const [filter, setFilter] = useState<QueueFilter>(DEFAULT_FILTER);

  const idToRow = useMemo(() => {
    const m = new Map<string, number>();
    if (queue) queue.ids.forEach((id, i) => m.set(id, i));
    return m;
  }, [queue]);

  const decided = useMemo(() => {
    const d = new Uint8Array(queue?.ids.length ?? 0);
    for (const [id, s] of fold.samples) {
      if (!s.decided) continue;
      const r = idToRow.get(id);
      if (r !== undefined) d[r] = 1;
    }
    return d;
  }, [queue, idToRow, fold]);

  const rows = useMemo(() => (queue ? filterRows(queue, decided, filter) : EMPTY_ROWS), [queue, decided, filter]);
  const counts = useMemo(() => doubtCounts(queue?.flags ?? []), [queue]);
  return { filter, setFilter, rows, counts, idToRow };
}
