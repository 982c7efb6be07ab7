// Which labeled samples the model never trains on: a stratified, seeded ~10% of every known
// class. They give the held-out accuracy, and they are the in-distribution reference the
// OOD scorer, temperature and thresholds are fitted on (scores of training samples are
// optimistic: the model has memorised them).
import { OTHER_LABEL } from '../../../shared/api.js';
import { makeRng, shuffleInPlace } from '../model/rng.js';
import { fnv1a } from '../datasets/random.js';

export interface HoldOutSplit {
  /** Labeled samples to train on (known classes and 'other'), ascending. */
  train: Int32Array;
  /** Labeled samples of known classes held out, ascending. */
  heldOut: Int32Array;
}

export function stratifiedHoldOut(labels: readonly (string | null)[], fraction: number, seed: number): HoldOutSplit {
  const rng = makeRng(seed ^ 0x5bd1e995);
  return holdOutBy(labels, fraction, (list) => shuffleInPlace(list, rng));
}

/**
 * The same share held out of every class, chosen by a seeded hash of each sample's id: a
 * decision moves only the few samples at the edge of a class's share, where a shuffle draws
 * the class anew. A head's retrain then keeps most of its kNN base, and its neighbours carry
 * over (neighbour-carry.ts).
 */
export function stableHoldOut(
  labels: readonly (string | null)[],
  ids: readonly string[],
  fraction: number,
  seed: number,
): HoldOutSplit {
  if (ids.length !== labels.length) throw new Error(`${ids.length} ids for ${labels.length} labels`);
  const key = new Uint32Array(ids.length);
  ids.forEach((id, i) => (key[i] = fnv1a(`${seed}:${id}`)));
  return holdOutBy(labels, fraction, (list) => list.sort((a, b) => key[a]! - key[b]! || a - b));
}

/** Per known class in name order: order the class's samples, hold out the first share. */
function holdOutBy(
  labels: readonly (string | null)[],
  fraction: number,
  order: (list: number[]) => void,
): HoldOutSplit {
  const byClass = new Map<string, number[]>();
  const train: number[] = [];
  labels.forEach((label, i) => {
    if (label === null) return;
    // 'other' is never held out: those few samples are what teaches the extra class.
    if (label === OTHER_LABEL) {
      train.push(i);
      return;
    }
    let list = byClass.get(label);
    if (!list) byClass.set(label, (list = []));
    list.push(i);
  });
  const heldOut: number[] = [];
  for (const [, list] of [...byClass.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // A class with a single sample keeps it for training; otherwise at least one is held out.
    const take = list.length < 2 ? 0 : Math.max(1, Math.round(list.length * fraction));
    order(list);
    heldOut.push(...list.slice(0, take));
    train.push(...list.slice(take));
  }
  return { train: Int32Array.from(train).sort(), heldOut: Int32Array.from(heldOut).sort() };
}

/** Model output classes: the known classes in order, plus 'other' last when used. */
/**
 * The class index of each row's label in `classes`: what a model trains on. Throws naming the
 * row for an unlabeled one or a label not in `classes` (a silent 0 would train it as class 0).
 */
export function classIndicesOf(
  rows: Iterable<number>,
  labels: readonly (string | null)[],
  classes: readonly string[],
): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(rows, (r) => {
    const label = labels[r] ?? null;
    const c = label === null ? undefined : index.get(label);
    if (c === undefined) {
      throw new Error(`training sample ${r}: label ${JSON.stringify(label)} is not one of [${classes.join(', ')}]`);
    }
    return c;
  });
}

export function modelClasses(knownClasses: readonly string[], labels: readonly (string | null)[]): string[] {
  const classes = [...knownClasses];
  const seen = new Set(classes);
  let other = false;
  const extra: string[] = [];
  for (const l of labels) {
    if (l === null) continue;
    if (l === OTHER_LABEL) other = true;
    else if (!seen.has(l)) {
      seen.add(l);
      extra.push(l);
    }
  }
  classes.push(...extra.sort());
  if (other) classes.push(OTHER_LABEL);
  return classes;
}
