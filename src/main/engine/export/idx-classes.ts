// The class order behind the exported IDX label bytes. When every class is a small integer
// (MNIST's '0'..'9') the byte is the class itself, as any IDX consumer expects; otherwise
// classes are numbered in natural order. 'other' always takes the last index, so a
// corrected MNIST keeps 0..9 and gains 10 = other.
import { OTHER_LABEL } from '../../../shared/api.js';
import { DatasetError } from '../types.js';
import { compareNatural } from '../datasets/natural-sort.js';

const CANONICAL_INT = /^(0|[1-9][0-9]{0,2})$/;

/** Index i of the result is the class whose IDX label byte is i. */
export function idxClassOrder(labels: Iterable<string | null>, known: Iterable<string> = []): string[] {
  const classes = new Set<string>();
  for (const l of [...known, ...labels]) if (l !== null && l !== OTHER_LABEL) classes.add(l);
  const list = [...classes];
  let order: string[];
  if (list.length > 0 && list.every((c) => CANONICAL_INT.test(c) && Number(c) <= 254)) {
    const max = Math.max(...list.map(Number));
    order = Array.from({ length: max + 1 }, (_, i) => String(i));
  } else {
    order = list.sort(compareNatural);
  }
  order.push(OTHER_LABEL);
  if (order.length > 256) {
    throw new DatasetError(`IDX export: ${order.length} classes do not fit in IDX's one-byte labels (at most 256)`);
  }
  return order;
}
