// The "similar" search: pool samples nearest to a sample in embedding space. The pool's
// embeddings go into a kNN index of their own, built on the first query after a scoring and
// kept until the next one (the engine drops it when the scores change).
import { ExactCosineIndex } from './knn-index.js';
import { gatherFloatRows } from './gather-rows.js';
import { itemAt } from '../../../shared/checked-index.js';

export class PoolIndex {
  private constructor(
    private readonly index: ExactCosineIndex,
    /** Sample index of each base row. */
    private readonly rows: Int32Array,
    readonly modelVersion: string,
  ) {}

  /** The index of `rows` (the pool's samples) of n * dim `embeddings`; null when there is no pool. */
  static build(embeddings: Float32Array, dim: number, rows: Int32Array, modelVersion: string): PoolIndex | null {
    if (rows.length === 0) return null;
    return new PoolIndex(new ExactCosineIndex(gatherFloatRows(embeddings, dim, rows), dim), rows, modelVersion);
  }

  /**
   * Up to k pool samples nearest to sample `index` (its embedding among the n * dim
   * `embeddings`), most similar first; never the sample itself.
   */
  similar(embeddings: Float32Array, dim: number, index: number, k: number): number[] {
    const self = this.rows.indexOf(index);
    const kk = Math.min(k, this.index.size - (self >= 0 ? 1 : 0));
    if (kk <= 0) return [];
    const q = embeddings.slice(index * dim, (index + 1) * dim);
    const r = this.index.search(q, kk, { excludeSelf: Int32Array.of(self) });
    return Array.from(r.indices, (j) => itemAt(this.rows, j, 'pool index rows'));
  }

  dispose(): void {
    this.index.dispose();
  }
}
