// The given labels the renderer knows (the queue's rows), for the shared fold: keep yields
// the given label, so the tile shows what training and export use.
import type { QueueView } from '../queue/view.js';
import type { GivenLabels } from '../../../shared/journal-fold.js';

export function givenLabelsOfQueue(
  queue: Pick<QueueView, 'ids' | 'given'> | null,
  labels: readonly string[],
): GivenLabels {
  const given = new Map<string, string | null>();
  if (!queue) return given;
  queue.ids.forEach((id, row) => {
    const g = queue.given[row] ?? -1;
    given.set(id, g >= 0 ? (labels[g] ?? null) : null);
  });
  return given;
}
