// What an OpenSpec names, read and put together: the training dataset and the pool (or the
// built-in demo when neither is given) as one sample list over one pixel buffer, training
// samples first. The caller reports 'done' once it holds them.
import type { EngineProgress, OpenResult, OpenSpec } from '../engine-types.js';
import { bytesPerImage, DatasetError, type LoadedDataset } from '../types.js';
import { assertTrainable, classesOf, loadDataset, loadDemo } from './index.js';
import { mergeSplits } from './merge-splits.js';
import { assertPoolIsNotTrain } from './pool-not-train.js';
import { PREVIEW } from './decode-files.js';
import { openPreviewStore, savePreviewCache, type PreviewStore } from './preview-cache.js';

export interface OpenedDatasets {
  /** All but the recipe, which the engine gives once it knows the model's input. */
  result: Omit<OpenResult, 'recipe'>;
  /** Opened the built-in demo (the only dataset a shipped model exists for). */
  demo: boolean;
  /**
   * Keeps the photos' previews for the next open, when they hold any it has not kept. Called
   * once the whole open has succeeded: a request refused later (a bad --backbone) must leave
   * no project folder behind.
   */
  keepPreviews: () => Promise<void>;
}

/**
 * @param allocate makes the pixel buffer (the worker's allocates shared memory).
 */
export async function openDatasets(
  spec: OpenSpec,
  allocate: (bytes: number) => Uint8Array,
  onProgress: (p: EngineProgress) => void,
): Promise<OpenedDatasets> {
  const report = (phase: string, fraction: number, message: string) =>
    onProgress({ task: 'open', phase, fraction, message });
  let train: LoadedDataset;
  let pool: LoadedDataset | null = null;
  let combined = null as Uint8Array | null; // set by the pool loader (allocatePixels below)
  let previews: PreviewStore | null = null;
  if (!spec.train && !spec.pool) {
    report('demo', 0, 'Building the demo (MNIST digits plus distractors)');
    const demo = await loadDemo({ seed: spec.seed });
    train = demo.train;
    pool = demo.pool;
  } else {
    if (!spec.train)
      throw new DatasetError('A labeled training dataset is needed to train the model (only a pool was given)');
    const trainPath = spec.train;
    await assertPoolIsNotTrain(trainPath, spec.pool);
    previews = await openPreviewStore(spec.projectDir, PREVIEW);
    try {
      const checks = { limits: spec.limits, strict: spec.strict, previews };
      train = await loadDataset(trainPath, {
        ...checks,
        arch: spec.arch,
        onProgress: (d, t) => report('train', t ? (0.5 * d) / t : 0, `Reading ${trainPath}: ${d}/${t}`),
      });
      assertTrainable(train);
      if (spec.pool) {
        const poolPath = spec.pool;
        const offset = train.samples.length * bytesPerImage(train.shape);
        pool = await loadDataset(poolPath, {
          ...checks,
          // The pool is stored as the training set is: the model family is the training set's.
          arch: train.family.arch,
          onProgress: (d, t) => report('pool', 0.5 + (t ? (0.5 * d) / t : 0), `Reading ${poolPath}: ${d}/${t}`),
          // A loader that can (IDX) reads the pool straight into place behind the training pixels.
          allocatePixels: (bytes) => {
            combined = allocate(offset + bytes);
            return combined.subarray(offset);
          },
        });
      }
    } finally {
      await previews?.close();
    }
  }
  const { samples, pixels, copies } = mergeSplits(train, pool, allocate, combined);
  const keepPreviews = async () => {
    if (train.family.arch !== 'backbone' || previews?.covers(samples.map((s) => s.id))) return;
    // A failure to keep them costs only the next open's decoding.
    await savePreviewCache(spec.projectDir, train.shape, samples, pixels).catch((err: Error) =>
      console.warn(`unsure engine: could not keep the previews for the next open: ${err.message}`),
    );
  };
  const roots = [...new Set([train.root, pool?.root ?? ''].filter((r) => r !== ''))];
  return {
    demo: !spec.train && !spec.pool,
    keepPreviews,
    result: {
      samples,
      // A pool copy's label can put a training sample in conflict (label null).
      classes: pool ? classesOf(samples.filter((s) => s.split === 'train')) : train.classes,
      pixels,
      shape: train.shape,
      family: train.family,
      roots,
      copies,
      skipped: [
        ...train.skipped.map((s) => ({ ...s, split: 'train' as const })),
        ...(pool?.skipped ?? []).map((s) => ({ ...s, split: 'pool' as const })),
      ],
    },
  };
}
