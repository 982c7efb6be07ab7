import type { EngineSample, SplitCopyGroup } from '../engine-types.js';

/**
 * The rows a first pass scores for the pool: every pool sample, and every training sample
 * one of whose files sits in the pool (a pool file that copies a training file is that
 * sample's row, and would otherwise show pending until the second pass).
 */
export function poolRows(samples: readonly EngineSample[], copies: readonly SplitCopyGroup[]): Int32Array {
  const rows = new Set<number>();
  samples.forEach((s, i) => s.split === 'pool' && rows.add(i));
  for (const g of copies) if (g.files.some((f) => f.split === 'pool')) rows.add(g.sample);
  return Int32Array.from(rows).sort();
}
