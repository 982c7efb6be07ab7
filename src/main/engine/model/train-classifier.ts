// One call for "train a fresh model on these rows", whichever family the rows are for: the
// small CNN on stored pixels, or a head on an extractor's feature rows. The main model and the
// label check's out-of-fold models both train through it.
import type { Classifier } from './classifier.js';
import { CnnClassifier } from './cnn.js';
import { HeadClassifier } from './head-model.js';
import { HEAD_DEFAULTS, trainHead, type HeadOptions } from './head.js';
import { HEAD_EMBEDDING } from './head-defaults.js';
import { cnnPixels, type ModelInputs } from './inputs.js';
import { trainCnn, type TrainOptions, type TrainProgress } from './train.js';

export interface TrainRows {
  indices: ArrayLike<number>;
  /** Class index of each entry of `indices`. */
  labels: ArrayLike<number>;
  classes: string[];
}

/** The head's options for a training whose CNN options are `cnn`: its seed and class balance, the head's defaults. */
export function headOptionsFor(cnn: TrainOptions): HeadOptions {
  return {
    ...HEAD_DEFAULTS,
    seed: cnn.seed,
    ...(cnn.balanceClass !== undefined ? { balanceClass: cnn.balanceClass } : {}),
  };
}

export async function trainClassifier(
  inputs: ModelInputs,
  rows: TrainRows,
  options: TrainOptions,
  onProgress: (p: TrainProgress) => void,
  signal?: AbortSignal,
  /** A head's options other than its defaults (the label check's fold heads). */
  headOptions: Partial<HeadOptions> = {},
): Promise<Classifier> {
  const numClasses = rows.classes.length;
  if (inputs.kind === 'pixels') {
    const cnn = await trainCnn(
      { pixels: cnnPixels(inputs), indices: rows.indices, labels: rows.labels, numClasses },
      options,
      onProgress,
      signal,
    );
    return new CnnClassifier(cnn, rows.classes);
  }
  const head = await trainHead(
    {
      features: inputs.data,
      dim: inputs.dim,
      indices: Int32Array.from(rows.indices),
      labels: Int32Array.from(rows.labels),
      numClasses,
    },
    { ...headOptionsFor(options), ...headOptions },
    onProgress,
    signal,
  );
  return new HeadClassifier(head, rows.classes, HEAD_EMBEDDING, inputs.knnCols);
}
