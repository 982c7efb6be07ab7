// The neighbour search of a scoring: each row's k nearest training neighbours (known classes
// only: an 'other' sample in the index would make a distractor look familiar), filled into
// the neighbourhood row by row as rows are wanted.
import { OTHER_LABEL } from '../../../shared/api.js';
import { ExactCosineIndex } from '../embeddings/knn-index.js';
import { gatherFloatRows } from '../embeddings/gather-rows.js';
import { expectIndices, expectLength } from '../scores/validate.js';
import type { CachedNeighbourhood } from './score-cache.js';
import type { Report, ScoreInput } from './score-table.js';

/**
 * What the cache holds, while it is being built: neighbours (-1 / NaN) are filled in as rows
 * are searched, mcDisagreement (NaN) as they are scored.
 */
export interface Neighbourhood extends CachedNeighbourhood {
  featureNorms: Float32Array | null;
  /** 1 where the row has its neighbours. */
  searched: Uint8Array;
}

/** kNN base: training samples of known classes. */
export function knnBaseRows(trainIndices: Int32Array, labels: readonly (string | null)[]): Int32Array {
  // So every base row, and every neighbour taken from the base, is a sample index.
  expectIndices(trainIndices, labels.length, 'training indices');
  return Int32Array.from(Array.from(trainIndices).filter((i) => labels[i] !== null && labels[i] !== OTHER_LABEL));
}

export function knnBase(input: ScoreInput): Int32Array {
  return knnBaseRows(input.trainIndices, input.labels);
}

/** Rows where mask is value (and keep(row), when given), in order. */
export function rowsWhere(mask: Uint8Array, value: number, keep?: (row: number) => boolean): Int32Array {
  // Counted first, then filled: no number[] of every row on the way (~20 bytes a row of garbage).
  let m = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === value && (!keep || keep(i))) m++;
  const out = new Int32Array(m);
  for (let i = 0, j = 0; i < mask.length; i++) if (mask[i] === value && (!keep || keep(i))) out[j++] = i;
  return out;
}

/**
 * Searches the wanted rows still missing their neighbours, then the rows they landed next
 * to: knnExcess needs the neighbours' own distances, so a first pass also searches the
 * training rows its rows landed next to (a full table has searched every row already).
 * Those references stay pending in this table: their own neighbours' distances are not
 * known. Returns the rows' own distances known without a search (input.knownDistances
 * when it fits this k), or null.
 */
export function searchNeighbours(
  input: ScoreInput,
  nb: Neighbourhood,
  want: Uint8Array,
  report: Report,
): Float32Array | null {
  const n = input.labels.length;
  const wanted = rowsWhere(want, 1, (r) => !nb.searched[r]);
  searchRows(input, nb, wanted, report);
  const kd = input.knownDistances;
  if (kd && kd.values.length !== n) throw new Error(`knownDistances has ${kd.values.length} rows for ${n} samples`);
  const known = kd && kd.k === nb.k ? kd.values : null;
  searchRows(input, nb, unsearchedNeighbours(nb, known), report);
  return known;
}

/** Queries gathered and searched at a time: bounds the copies of their embeddings and results. */
const QUERY_CHUNK = 8192;

/** Finds the neighbours of `rows` (in place in nb). */
function searchRows(input: ScoreInput, nb: Neighbourhood, rows: Int32Array, report: Report): void {
  if (rows.length === 0) return;
  const { dim, k, embeddings } = nb;
  const base = knnBase(input);
  const baseVecs = gatherFloatRows(embeddings, dim, base);
  report('neighbours', 0.6, `Finding ${k} nearest training neighbours of ${rows.length} samples`);
  const posInBase = new Int32Array(nb.searched.length).fill(-1);
  base.forEach((r, j) => (posInBase[r] = j));
  const index = new ExactCosineIndex(baseVecs, dim);
  try {
    // Chunks of whole blocks, each block padded to full size (fixedBlocks): a row gets the
    // same similarities whichever rows it is searched with, in a first pass or a full one.
    const chunk = Math.max(1, Math.floor(QUERY_CHUNK / index.blockSize)) * index.blockSize;
    const extraNeighbour = rows.some((r) => posInBase[r]! >= 0);
    for (let start = 0; start < rows.length; start += chunk) {
      const part = rows.subarray(start, start + chunk);
      const queries = gatherFloatRows(embeddings, dim, part);
      // A training sample must not find itself (similarity 1 would make it look perfectly typical).
      const exclude = Int32Array.from(part, (r) => posInBase[r]!);
      const res = index.search(queries, k, { excludeSelf: exclude, fixedBlocks: true, extraNeighbour });
      // k base indices per query (search() throws when k exceeds the base): checked here, so
      // the lookups below are in range.
      expectLength(res.indices, part.length * k, 'neighbour search indices');
      expectLength(res.sims, part.length * k, 'neighbour search similarities');
      expectIndices(res.indices, base.length, 'neighbour search indices');
      part.forEach((r, j) => {
        for (let c = 0; c < k; c++) {
          nb.neighbours[r * k + c] = base[res.indices[j * k + c]!]!;
          nb.neighbourSims[r * k + c] = res.sims[j * k + c]!;
        }
        nb.searched[r] = 1;
      });
    }
  } finally {
    index.dispose();
  }
}

/** Rows that are a searched row's neighbour but have neither neighbours nor a known distance. */
function unsearchedNeighbours(nb: Neighbourhood, known: Float32Array | null): Int32Array {
  // neighbours holds k entries per row (searched.length rows), each a sample index (the
  // base's rows, checked in knnBaseRows) or -1; known, when given, one value per row.
  expectLength(nb.neighbours, nb.searched.length * nb.k, 'neighbours');
  if (known) expectLength(known, nb.searched.length, 'known distances');
  const seen = new Uint8Array(nb.searched.length);
  const out: number[] = [];
  for (let r = 0; r < nb.searched.length; r++) {
    if (!nb.searched[r]) continue;
    for (let j = r * nb.k; j < (r + 1) * nb.k; j++) {
      const m = nb.neighbours[j]!;
      if (m >= 0 && !nb.searched[m] && !seen[m] && !(known && Number.isFinite(known[m]!))) {
        seen[m] = 1;
        out.push(m);
      }
    }
  }
  return Int32Array.from(out);
}
