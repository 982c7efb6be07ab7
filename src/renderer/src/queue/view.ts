// The queue as the components read it: the main side sends the samples once per opening
// and a compact ranking per revision (src/shared/api.ts); this joins them back into one
// row-wise set of columns, so the grid, the filters and decisions index rows only.
import type { Queue, Samples } from '../../../shared/api.js';

export interface QueueView {
  modelVersion: string;
  revision: string;
  /** Row r of every column is queue row r, most doubtful first. */
  ids: string[];
  /** 0 = training set, 1 = review pool. */
  split: number[];
  /** Index into ProjectInfo.labels, or -1 when unlabeled. */
  given: number[];
  /** By row: a label no class of the training set is (Samples.foreignGiven); given is -1 there. */
  foreignGiven?: ReadonlyMap<number, string>;
  /** Index into ProjectInfo.classes. */
  predicted: number[];
  confidence: number[];
  /** DoubtFlag bits. */
  flags: number[];
}

/** Joins a revision's ranking with its opening's samples; throws if they do not belong together. */
export function joinQueue(samples: Samples, queue: Queue): QueueView {
  if (samples.openId !== queue.openId) {
    throw new Error(`the queue is for opening ${queue.openId}, the samples for ${samples.openId}`);
  }
  const n = samples.ids.length;
  if (samples.split.length !== n || samples.given.length !== n) {
    throw new Error(`the samples have ${n} ids, ${samples.split.length} splits and ${samples.given.length} labels`);
  }
  const rows = queue.order.length;
  for (const name of ['predicted', 'confidence', 'flags'] as const) {
    if (queue[name].length !== rows) throw new Error(`the queue has ${rows} rows but ${queue[name].length} ${name}`);
  }
  // Every column of the view then has one value per row, which the grid, the filters and
  // the decisions rely on when they index a row.
  const ids = new Array<string>(rows);
  const split = new Array<number>(rows);
  const given = new Array<number>(rows);
  const foreignGiven = new Map<number, string>();
  queue.order.forEach((i, r) => {
    if (!(Number.isInteger(i) && i >= 0 && i < n)) {
      throw new Error(`queue row ${r} names sample ${i}, but the project has ${n}`);
    }
    ids[r] = samples.ids[i]!; // i < n, the length of all three
    split[r] = samples.split[i]!;
    given[r] = samples.given[i]!;
    const foreign = samples.foreignGiven?.[i];
    if (foreign !== undefined) foreignGiven.set(r, foreign);
  });
  return {
    modelVersion: queue.modelVersion,
    revision: queue.revision,
    ids,
    split,
    given,
    ...(foreignGiven.size > 0 ? { foreignGiven } : {}),
    predicted: queue.predicted,
    confidence: queue.confidence,
    flags: queue.flags,
  };
}
