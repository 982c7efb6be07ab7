// A retrain's neighbours taken from the scoring before it. A head compares the backbone's
// rows, which no retrain changes, so a row's k nearest in the new base are its k nearest in
// the old one merged with those among the rows that joined the base. A row whose neighbours
// include one that left the base is searched again in full.
import { ExactCosineIndex } from '../embeddings/knn-index.js';
import { gatherFloatRows } from '../embeddings/gather-rows.js';
import { knnBase, type Neighbourhood } from './neighbour-search.js';
import type { CachedNeighbourhood } from './score-cache.js';
import type { ScoreInput } from './score-table.js';

/** What an earlier scoring leaves for the next: its embeddings, base and every searched row's neighbours. */
export interface EarlierNeighbours extends Pick<
  CachedNeighbourhood,
  'embeddings' | 'dim' | 'k' | 'neighbours' | 'neighbourSims'
> {
  /** Sample indices of that scoring's kNN base. */
  base: Int32Array;
  /** 1 where the row was searched; null when every row was. */
  scored: Uint8Array | null;
}

/**
 * Fills nb's rows from `earlier` where the embeddings are the same bytes and k is the same;
 * returns how many rows were carried (0 when nothing could be).
 */
export function carryNeighbours(input: ScoreInput, nb: Neighbourhood, earlier: EarlierNeighbours): number {
  const { k, dim } = nb;
  if (earlier.k !== k || earlier.dim !== dim || !sameBytes(earlier.embeddings, nb.embeddings)) return 0;
  const n = nb.searched.length;
  const inBase = new Uint8Array(n);
  for (const r of knnBase(input)) inBase[r] = 1;
  const wasBase = new Uint8Array(n);
  for (const r of earlier.base) if (r >= 0 && r < n) wasBase[r] = 1;
  const joined: number[] = [];
  for (let r = 0; r < n; r++) if (inBase[r] && !wasBase[r]) joined.push(r);

  const carried: number[] = [];
  for (let r = 0; r < n; r++) {
    if (nb.searched[r] || (earlier.scored && !earlier.scored[r])) continue;
    let keeps = true;
    for (let j = r * k; j < (r + 1) * k && keeps; j++) {
      const m = earlier.neighbours[j]!;
      keeps = m >= 0 && m < n && inBase[m] === 1;
    }
    if (keeps) carried.push(r);
  }
  const fresh = nearestAmong(nb, Int32Array.from(joined), Int32Array.from(carried));
  for (let i = 0; i < carried.length; i++) {
    const r = carried[i]!;
    mergeInto(nb, r, earlier, fresh, i);
    nb.searched[r] = 1;
  }
  return carried.length;
}

interface Found {
  rows: Int32Array;
  k: number;
  indices: Int32Array;
  sims: Float32Array;
}

/** Each query row's nearest among `rows` (itself excluded), or none when there are none to search. */
function nearestAmong(nb: Neighbourhood, rows: Int32Array, queries: Int32Array): Found {
  const { dim, embeddings } = nb;
  const pos = new Map<number, number>();
  rows.forEach((r, j) => pos.set(r, j));
  const exclude = Int32Array.from(queries, (r) => pos.get(r) ?? -1);
  const self = exclude.some((e) => e >= 0) ? 1 : 0;
  const k = Math.min(nb.k, rows.length - self);
  if (k < 1 || queries.length === 0) return { rows, k: 0, indices: new Int32Array(0), sims: new Float32Array(0) };
  const index = new ExactCosineIndex(gatherFloatRows(embeddings, dim, rows), dim);
  try {
    const res = index.search(gatherFloatRows(embeddings, dim, queries), k, { excludeSelf: exclude });
    return { rows, k, ...res };
  } finally {
    index.dispose();
  }
}

/** Row r's k best of its earlier neighbours and the fresh ones (query i of `fresh`), most similar first. */
function mergeInto(nb: Neighbourhood, r: number, earlier: EarlierNeighbours, fresh: Found, i: number): void {
  const { k } = nb;
  let a = r * k;
  let b = i * fresh.k;
  const aEnd = a + k;
  const bEnd = b + fresh.k;
  for (let c = r * k; c < (r + 1) * k; c++) {
    // Ties go to the earlier neighbour, so a retrain with nothing joined keeps every list as it was.
    const takeEarlier = b >= bEnd || (a < aEnd && earlier.neighbourSims[a]! >= fresh.sims[b]!);
    if (takeEarlier) {
      nb.neighbours[c] = earlier.neighbours[a]!;
      nb.neighbourSims[c] = earlier.neighbourSims[a++]!;
    } else {
      nb.neighbours[c] = fresh.rows[fresh.indices[b]!]!;
      nb.neighbourSims[c] = fresh.sims[b++]!;
    }
  }
}

function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
  );
}
