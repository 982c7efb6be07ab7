// The training dataset and the pool as one sample list over one pixel buffer, training
// samples first. A sample is its content (the id): a pool file with the bytes of a training
// file becomes a copy of that training sample, so an id names one sample, one tile and one
// decision. Labels of all its files must agree, else the sample is a label conflict.
import type { EngineSample, SplitCopyGroup } from '../engine-types.js';
import { bytesPerImage, DatasetError, describeShape, type LoadedDataset, type Sample } from '../types.js';
import { copyLabels } from './assemble.js';

export interface MergedSplits {
  samples: EngineSample[];
  pixels: Uint8Array;
  copies: SplitCopyGroup[];
}

type Split = 'train' | 'pool';

/**
 * @param allocate makes the pixel buffer (the worker's allocates shared memory).
 * @param combined a buffer the pool was read straight into, behind room for the training
 *   pixels (open-datasets.ts): used as the pixel buffer when every pool sample is kept.
 */
export function mergeSplits(
  train: LoadedDataset,
  pool: LoadedDataset | null,
  allocate: (bytes: number) => Uint8Array,
  combined: Uint8Array | null = null,
): MergedSplits {
  const nTrain = train.samples.length;
  // `split` first: V8 gives `{ ...s, split }` a dictionary-mode object, ~250 bytes more per
  // sample than `{ split, ...s }` (a Sample has no split of its own to override it).
  const samples: EngineSample[] = train.samples.map((s) => ({ split: 'train' as const, ...s }));
  const groups = new Map<number, SplitCopyGroup>();
  for (const g of train.copies) groups.set(g.sample, withSplit(g.sample, g.files, g.conflict, 'train'));
  const trainIndex = new Map(train.samples.map((s, i) => [s.id, i]));

  const poolGroup = new Map((pool?.copies ?? []).map((g) => [g.sample, g]));
  const keptPool: number[] = [];
  // Load positions, computed only when a pool file repeats a training file.
  let trainAt: Int32Array | undefined;
  let poolAt: Int32Array | undefined;
  (pool?.samples ?? []).forEach((s, j) => {
    const own = poolGroup.get(j);
    const t = trainIndex.get(s.id);
    if (t === undefined) {
      if (own)
        groups.set(nTrain + keptPool.length, withSplit(nTrain + keptPool.length, own.files, own.conflict, 'pool'));
      keptPool.push(j);
      samples.push({ split: 'pool', ...s });
      return;
    }
    // The same content in both: the pool files join the training sample's files.
    trainAt ??= ownPositions(train);
    poolAt ??= ownPositions(pool!);
    const g = groups.get(t) ?? withSplit(t, [ownFile(train.samples[t]!, trainAt[t]!)], false, 'train');
    groups.set(t, g);
    const poolFiles = own ? own.files : [ownFile(s, poolAt[j]!)];
    g.files.push(...poolFiles.map((f) => ({ ...f, split: 'pool' as const })));
    g.conflict = copyLabels(g.files).length > 1;
    // Pool labels never train: they only decide whether the files disagree.
    if (g.conflict && samples[t]!.label !== null) samples[t] = { ...samples[t]!, label: null };
  });

  const size = bytesPerImage(train.shape);
  if (pool && bytesPerImage(pool.shape) !== size)
    throw new DatasetError(
      `The pool's images (${describeShape(pool.shape)}) are not stored as the training set's (${describeShape(train.shape)})`,
    );
  const offset = nTrain * size;
  const everyPool = pool !== null && keptPool.length === pool.samples.length;
  const inPlace =
    everyPool &&
    combined !== null &&
    pool.pixels.buffer === combined.buffer &&
    pool.pixels.byteOffset === combined.byteOffset + offset &&
    combined.length === samples.length * size;
  const pixels = inPlace ? combined : allocate(samples.length * size);
  pixels.set(train.pixels, 0);
  if (pool && everyPool && !inPlace) pixels.set(pool.pixels, offset);
  else if (pool && !everyPool)
    keptPool.forEach((j, k) => pixels.set(pool.pixels.subarray(j * size, (j + 1) * size), offset + k * size));
  const copies = [...groups.values()].sort((a, b) => a.sample - b.sample);
  return { samples, pixels, copies };
}

function withSplit(
  sample: number,
  files: readonly { path: string; file: string | null; label: string | null; at: number }[],
  conflict: boolean,
  split: Split,
): SplitCopyGroup {
  return { sample, files: files.map((f) => ({ ...f, split })), conflict };
}

/** A sample's own file, for a sample that had no copies in its dataset. */
function ownFile(s: Sample, at: number) {
  return { path: s.path, file: s.file, label: s.label, at };
}

/**
 * Each sample's place in its dataset's load order: the samples are in that order, and
 * their later copies hold the other places.
 */
export function ownPositions(ds: LoadedDataset): Int32Array {
  const taken = new Set<number>();
  for (const g of ds.copies) for (const f of g.files.slice(1)) taken.add(f.at);
  const out = new Int32Array(ds.samples.length);
  let at = 0;
  for (let j = 0; j < out.length; j++) {
    while (taken.has(at)) at++;
    out[j] = at++;
  }
  return out;
}
