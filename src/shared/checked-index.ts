// Lookups that cannot come back empty: under noUncheckedIndexedAccess, a value that should be
// there is either there or an error that says which one is missing, never a silent undefined.
// Not for hot loops: numeric kernels check their lengths once at entry instead.

/** items[i], or an error naming `what` and the index when i is not one of its positions. */
export function itemAt<T>(items: ArrayLike<T>, i: number, what: string): T {
  const v = Number.isInteger(i) && i >= 0 && i < items.length ? items[i] : undefined;
  if (v === undefined) throw new Error(`${what}: no item ${i} (it has ${items.length})`);
  return v;
}

/** map.get(key), or an error naming `what` and the key when it is absent. */
export function entryOf<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const v = map.get(key);
  if (v === undefined) throw new Error(`${what}: no entry for ${JSON.stringify(key)}`);
  return v;
}
