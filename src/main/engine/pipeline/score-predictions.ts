// Predictions made in any framework (`--pred-probs`, the app's "predictions from a file"),
// checked against the training dataset's files and turned into one row per sample
// (external-rows.ts), the rows an Extractor gives.
import { extname } from 'node:path';
import type { OpenResult } from '../engine-types.js';
import { fileRows } from './file-rows.js';
import { readPredictions, type ExternalPredictions } from './external-predictions.js';
import { externalExtractorRows, type ExternalRows } from './external-rows.js';
import type { InputLimits } from '../types.js';

export interface PredictionArgs {
  predProbs: string;
  features?: string;
  classes?: string[];
  manifest?: string;
}

export function isNpy(file: string): boolean {
  return extname(file).toLowerCase() === '.npy';
}

/** A skipped file's dataset path: a manifest row is named 'm.csv line 3 ("a/b.png")'. */
function skippedPath(name: string): string {
  return /\("(.*)"\)$/.exec(name)?.[1] ?? name;
}

/**
 * The predictions for the opened training dataset, read and checked, and the per-sample rows
 * they give (logits = log p).
 */
export async function readScorePredictions(
  args: PredictionArgs,
  train: string,
  opened: OpenResult,
  limits: Partial<InputLimits>,
): Promise<{ pred: ExternalPredictions; rows: ExternalRows }> {
  const files = fileRows(opened.samples, opened.copies, 'train');
  const skipped = (opened.skipped ?? []).filter((s) => s.split === 'train').map((s) => skippedPath(s.path));
  // A .npy without --manifest follows `unsure manifest`, which lists files refused only when
  // decoded: that listing, not the loaded files, is its row order.
  const needsListing =
    (isNpy(args.predProbs) || (args.features !== undefined && isNpy(args.features))) && !args.manifest;
  const listed = needsListing
    ? (await import('../datasets/list-files.js')).listDatasetFiles(train, limits).then((l) => l.map((f) => f.path))
    : Promise.resolve(undefined);
  const pred = await readPredictions({
    predProbs: args.predProbs,
    features: args.features,
    classes: args.classes,
    manifest: args.manifest,
    listed: await listed,
    files: files.map((f) => ({ path: f.path, label: f.label })),
    skipped,
    datasetClasses: opened.classes,
  });
  const rows = externalExtractorRows(
    pred,
    files.map((f) => f.sample),
    opened.samples.length,
  );
  return { pred, rows };
}
