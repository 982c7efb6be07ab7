// Cosine nearest-neighbour search over L2-normalised embeddings.
//
// The interface is deliberately small (size, dim, search, dispose) so an approximate index
// (HNSW and the like) can replace the exact one when the training set outgrows brute force.
import { tf } from '../model/tf.js';
import { expectLength } from '../scores/validate.js';

export interface KnnSearchOptions {
  /**
   * One entry per query: the base index that query must not get back (the query's own row
   * when the queries are the base itself), or -1 for none. Without it, a training sample
   * would find itself at similarity 1 and look perfectly in-distribution.
   */
  excludeSelf?: Int32Array;
  /**
   * Search a short last block as a full one (zero rows added, results dropped): a matrix
   * product's rounding depends on its shape, and with this a query's similarities come out
   * bit-identical however many queries are searched with it. Costs at most one block.
   */
  fixedBlocks?: boolean;
  /**
   * Search one extra neighbour (as when some query excludes itself) even if none of these
   * queries does: a search split into parts then ranks ties as one whole search would.
   */
  extraNeighbour?: boolean;
}

export interface KnnResult {
  /** Q x k row-major base indices, most similar first. */
  indices: Int32Array;
  /** Q x k row-major cosine similarities matching `indices`. */
  sims: Float32Array;
}

export interface KnnIndex {
  /** Number of base vectors. */
  readonly size: number;
  readonly dim: number;
  /**
   * The k most similar base vectors of every query (queries: Q x dim row-major, any norm:
   * they are normalised here). Throws when k exceeds what the base can supply.
   */
  search(queries: Float32Array, k: number, opts?: KnnSearchOptions): KnnResult;
  /** Frees native memory; the index is unusable afterwards. */
  dispose(): void;
}

export interface ExactCosineIndexOptions {
  /**
   * Queries per matMul block. The block's similarity matrix (block x size floats) is the
   * largest transient allocation, so this bounds peak memory. Default: about 128 MB of
   * similarities per block (559 queries against 60,000), clamped to 16..1024 queries.
   */
  blockSize?: number;
  /**
   * Base rows per candidate group (see search). 0 or 1 disables the pre-reduction; the
   * default picks one from the base size and k.
   */
  groupSize?: number;
}

// Larger blocks amortise the per-op overhead and keep oneDNN's matMul at full speed: for
// 10,000 x 60,000 the CPU time was ~2.7 s at 64 queries a block, ~2.4 s at 128, ~2.2 s at
// 256-559, ~2.1 s at 1024. 128 MB is a transient the engine worker can afford.
const BLOCK_BYTES = 128 * 1024 * 1024;

/**
 * Returns L2-normalised copies of `n` rows of `dim` floats. A zero row stays zero (its
 * cosine similarity to everything is 0) rather than becoming NaN and poisoning topk.
 */
export function l2NormaliseRows(vectors: Float32Array, dim: number, what = 'vectors'): Float32Array {
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`${what}: dim must be a positive integer, got ${dim}`);
  if (vectors.length % dim !== 0) {
    throw new Error(`${what}: length ${vectors.length} is not a multiple of dim ${dim}`);
  }
  const out = new Float32Array(vectors.length);
  const n = vectors.length / dim;
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    let ss = 0;
    for (let j = 0; j < dim; j++) {
      const v = vectors[o + j]!;
      if (!Number.isFinite(v)) throw new Error(`${what}: row ${i} has a non-finite value at column ${j}`);
      ss += v * v;
    }
    if (ss === 0) continue;
    const inv = 1 / Math.sqrt(ss);
    for (let j = 0; j < dim; j++) out[o + j] = vectors[o + j]! * inv;
  }
  return out;
}

/**
 * Exact cosine kNN with tfjs-node: one matMul per block of queries against the whole base
 * (kept resident as one tensor), then top-k; one read of all results at the end.
 *
 * Why not just `topk(matMul(q, base^T), k)`: TensorFlow's CPU TopK scans the block x size
 * similarity matrix with a per-row heap and costs more than the matMul itself. A
 * max-reduction over groups of g base rows (strided: row r is in group r mod S) is
 * vectorised and many times cheaper, and it loses nothing. Let t be the k-th best
 * similarity: fewer than k rows lie strictly above t, so fewer than k groups have a maximum
 * above t, and the k groups with the largest maxima include all of them (hence every row
 * above t). Each further pick with a maximum of t adds a row at t; if the picks reach maxima
 * below t, every group holding a row at t is already in. Either way the k groups hold k rows
 * scoring at least t: a true top k (ties included). Exact top-k then runs on their k*g rows
 * only. Base rows past the last whole group (fewer than g) are always candidates.
 */
export class ExactCosineIndex implements KnnIndex {
  readonly size: number;
  readonly dim: number;
  /** Queries per matMul block (with fixedBlocks, a search split at multiples of it gives the same results). */
  readonly blockSize: number;
  private readonly groupSizeOpt: number | undefined;
  private base: tf.Tensor2D | null;
  /** Reshaped views for the grouped path, built lazily per group size. */
  private readonly groupedBases = new Map<number, { main: tf.Tensor2D; tail: tf.Tensor2D | null; rows: number }>();

  constructor(vectors: Float32Array, dim: number, opts: ExactCosineIndexOptions = {}) {
    const normalised = l2NormaliseRows(vectors, dim, 'ExactCosineIndex base');
    this.dim = dim;
    this.size = normalised.length / dim;
    if (this.size === 0) throw new Error('ExactCosineIndex base: no vectors');
    const bs = opts.blockSize ?? Math.floor(BLOCK_BYTES / (4 * this.size));
    if (!Number.isInteger(bs) || bs < 0)
      throw new Error(`ExactCosineIndex: blockSize must be a positive integer, got ${opts.blockSize}`);
    this.blockSize = Math.min(1024, Math.max(16, bs));
    if (opts.groupSize !== undefined && (!Number.isInteger(opts.groupSize) || opts.groupSize < 0)) {
      throw new Error(`ExactCosineIndex: groupSize must be a non-negative integer, got ${opts.groupSize}`);
    }
    this.groupSizeOpt = opts.groupSize;
    this.base = tf.tensor2d(normalised, [this.size, dim], 'float32');
  }

  search(queries: Float32Array, k: number, opts: KnnSearchOptions = {}): KnnResult {
    const base = this.base;
    if (!base) throw new Error('ExactCosineIndex: search after dispose');
    const q = l2NormaliseRows(queries, this.dim, 'ExactCosineIndex queries');
    const nq = q.length / this.dim;
    const exclude = opts.excludeSelf;
    if (exclude && exclude.length !== nq) {
      throw new Error(`ExactCosineIndex: excludeSelf has ${exclude.length} entries for ${nq} queries`);
    }
    if (!Number.isInteger(k) || k < 1) throw new Error(`ExactCosineIndex: k must be a positive integer, got ${k}`);
    let excluding = false;
    if (exclude) {
      for (let i = 0; i < nq; i++) {
        const e = exclude[i]!;
        if (e < -1 || e >= this.size) {
          throw new Error(`ExactCosineIndex: excludeSelf[${i}]=${e} is not a base index or -1`);
        }
        if (e >= 0) excluding = true;
      }
    }
    if (k + (excluding ? 1 : 0) > this.size) {
      throw new Error(
        `ExactCosineIndex: k=${k}${excluding ? ' (+1 for excludeSelf)' : ''} exceeds the ${this.size} base vectors`,
      );
    }
    // One extra neighbour when a query may find its own row, dropped again below.
    const kk = k + (excluding || (opts.extraNeighbour && k < this.size) ? 1 : 0);
    const indices = new Int32Array(nq * k);
    const sims = new Float32Array(nq * k);
    if (nq === 0) return { indices, sims };

    const g = this.chooseGroupSize(kk);
    const grouped = g > 1 ? this.grouped(base, g) : null;
    // Per-block results stay on the TF side and are read once at the end: reading per block
    // would interleave small synchronous copies with the heavy ops for no gain.
    const blockIdx: tf.Tensor[] = [];
    const blockSim: tf.Tensor[] = [];
    try {
      for (let start = 0; start < nq; start += this.blockSize) {
        const b = Math.min(this.blockSize, nq - start);
        const rows = opts.fixedBlocks ? this.blockSize : b;
        const [vi, vs] = tf.tidy(() => {
          let block = q.subarray(start * this.dim, (start + b) * this.dim);
          if (rows > b) {
            const padded = new Float32Array(rows * this.dim);
            padded.set(block);
            block = padded;
          }
          const qt = tf.tensor2d(block, [rows, this.dim], 'float32');
          const r = grouped ? this.searchGrouped(qt, kk, g, grouped) : tf.topk(tf.matMul(qt, base, false, true), kk);
          return rows > b ? ([r.indices.slice(0, b), r.values.slice(0, b)] as const) : ([r.indices, r.values] as const);
        });
        blockIdx.push(vi);
        blockSim.push(vs);
      }
      // Read outside tidy, which would walk returned arrays element by element.
      const all = [tf.concat(blockIdx, 0), tf.concat(blockSim, 0)] as const;
      const [allIdx, allSim] = all.map((t) => t.dataSync());
      all.forEach((t) => t.dispose());
      copyDroppingSelf(allIdx as Int32Array, allSim as Float32Array, nq, kk, k, exclude, indices, sims);
    } finally {
      for (const t of blockIdx) t.dispose();
      for (const t of blockSim) t.dispose();
    }
    return { indices, sims };
  }

  dispose(): void {
    for (const v of this.groupedBases.values()) {
      if (v.main !== this.base) v.main.dispose();
      v.tail?.dispose();
    }
    this.groupedBases.clear();
    this.base?.dispose();
    this.base = null;
  }

  /**
   * TopK cost grows with the row length it scans, so the group size balances the two TopK
   * passes: size/g group maxima against kk*g candidates, equal at g = sqrt(size/kk). Capped
   * at 20: for 10,000 x 60,000, k = 10, the CPU time was ~2.09-2.11 s at g = 16-20 and
   * ~2.13-2.15 s at 30-40 (longer groups slow the reduction), ~2.23 s at 10.
   * Below g = 4 there is nothing to gain.
   */
  private chooseGroupSize(kk: number): number {
    const fits = (g: number): boolean => g > 1 && Math.floor(this.size / g) >= kk;
    if (this.groupSizeOpt !== undefined) return fits(this.groupSizeOpt) ? this.groupSizeOpt : 1;
    const g = Math.min(20, Math.floor(Math.sqrt(this.size / kk)));
    return g >= 4 && fits(g) ? g : 1;
  }

  private grouped(base: tf.Tensor2D, g: number): { main: tf.Tensor2D; tail: tf.Tensor2D | null; rows: number } {
    let v = this.groupedBases.get(g);
    if (!v) {
      const rows = Math.floor(this.size / g) * g;
      const tailRows = this.size - rows;
      v = {
        // slice() copies, so the main part and the tail are separate contiguous tensors and
        // the [g, S * block] view of the main similarities is a free reshape.
        main: rows === this.size ? base : tf.slice(base, [0, 0], [rows, this.dim]),
        tail: tailRows > 0 ? tf.slice(base, [rows, 0], [tailRows, this.dim]) : null,
        rows,
      };
      this.groupedBases.set(g, v);
    }
    return v;
  }

  private searchGrouped(
    qt: tf.Tensor2D,
    kk: number,
    g: number,
    gb: { main: tf.Tensor2D; tail: tf.Tensor2D | null; rows: number },
  ): { indices: tf.Tensor; values: tf.Tensor } {
    const b = qt.shape[0];
    const groups = gb.rows / g;
    // Base-major product, [rows, b]: the same numbers as q x base^T, but oneDNN computes this
    // orientation with ~20% less CPU time. Group s holds rows s, s + S, s + 2S, ..., so the
    // group maxima are an element-wise max of g contiguous [S, b] slabs, the cheapest
    // reduction TensorFlow has (the other layouts measured 30-100% slower).
    const simMain = tf.matMul(gb.main, qt, false, true); // [rows, b]
    const groupMax = tf.reshape(tf.max(tf.reshape(simMain, [g, groups * b]), 0), [groups, b]);
    const topGroups = tf.topk(tf.transpose(groupMax), kk).indices; // [b, kk], group ids in 0..S-1
    const rowOffsets = tf.mul(tf.range(0, g, 1, 'int32'), tf.scalar(groups, 'int32')); // [g]
    let candRows = tf.reshape(tf.add(tf.expandDims(topGroups, 2), rowOffsets), [b, kk * g]);
    // gatherND rather than gather: tfjs-node's GatherV2 kernel bounds-checks every index in
    // JS with a closure call each (~250 ms for 10,000 x 60,000), GatherNd hands the indices
    // straight to TensorFlow. The indices here are valid by construction.
    const queryIds = (width: number) => tf.tile(tf.expandDims(tf.range(0, b, 1, 'int32'), 1), [1, width]);
    let candSims = tf.gatherND(simMain, tf.stack([candRows, queryIds(kk * g)], 2)); // [b, kk * g]
    if (gb.tail) {
      const tailSims = tf.matMul(qt, gb.tail, false, true); // [b, tailRows]
      const tailRows = tf.tile(tf.expandDims(tf.range(gb.rows, this.size, 1, 'int32'), 0), [b, 1]);
      candSims = tf.concat([candSims, tailSims], 1);
      candRows = tf.concat([candRows, tailRows], 1);
    }
    const best = tf.topk(candSims, kk);
    return { indices: tf.gatherND(candRows, tf.stack([queryIds(kk), best.indices], 2)), values: best.values };
  }
}

/**
 * Copies kk = k(+1) neighbours per query into k slots, skipping the query's excluded base
 * index when it came back (and otherwise dropping the (k+1)-th, which is then not needed).
 */
function copyDroppingSelf(
  srcIdx: Int32Array,
  srcSim: Float32Array,
  nq: number,
  kk: number,
  k: number,
  exclude: Int32Array | undefined,
  outIdx: Int32Array,
  outSim: Float32Array,
): void {
  // The loops below index within these lengths.
  expectLength(srcIdx, nq * kk, 'knn candidates');
  expectLength(srcSim, nq * kk, 'knn candidate similarities');
  expectLength(outIdx, nq * k, 'knn indices');
  expectLength(outSim, nq * k, 'knn similarities');
  if (exclude) expectLength(exclude, nq, 'knn excludeSelf');
  for (let i = 0; i < nq; i++) {
    const skip = exclude ? exclude[i]! : -1;
    let w = i * k;
    const end = w + k;
    for (let j = 0; j < kk && w < end; j++) {
      const idx = srcIdx[i * kk + j]!;
      if (idx === skip) continue;
      outIdx[w] = idx;
      outSim[w] = srcSim[i * kk + j]!;
      w++;
    }
  }
}
