// `unsure score --pred-probs <file> [--features <file>] [--classes a,b,c] [--manifest <csv>]`:
// predictions made in any framework, checked against the training dataset's files and turned
// into one row per sample (pipeline/external-rows.ts), the rows an Extractor gives.
import { extname } from 'node:path';
import type { OpenResult } from '../engine/engine-types.js';
import { fileRows } from '../engine/pipeline/file-rows.js';
import { readPredictions, type ExternalPredictions } from '../engine/pipeline/external-predictions.js';
import { externalExtractorRows, type ExternalRows } from '../engine/pipeline/external-rows.js';
import type { InputLimits } from '../engine/types.js';
import { UsageError } from './cli-common.js';

export const PREDICTION_OPTIONS = ['pred-probs', 'features', 'classes', 'manifest'] as const;

export const predictionUsage = `  --pred-probs <file> score with predictions made elsewhere instead of a model (cleanlab's
                     interface): one row of class probabilities per file of --train
                     (out-of-sample, e.g. cross-validated), .npy (n x C) or CSV with a
                     "path" column and one column per class. A .npy's rows follow
                     --manifest, or the order 'unsure manifest <dataset>' prints.
                     Columns: the classes of --classes, else a classes.json beside the
                     file, else a CSV's class-named columns, else the dataset's class
                     names sorted; the output says which. Rows must sum to 1 (1e-3).
                     label_issue reads these probabilities as they are (no fold models).
  --features <file>  .npy (n x D) or CSV ("path" + D columns), same rows as --pred-probs;
                     used for the kNN distance (without it the probabilities stand in)
  --classes <a,b,c>  the class of each --pred-probs column, in order
  --manifest <csv>   a CSV with a "path" column giving the .npy files' row order`;

export interface PredictionArgs {
  predProbs: string;
  features?: string;
  classes?: string[];
  manifest?: string;
}

/** The prediction flags, checked against each other and the rest; null without --pred-probs. */
export function parsePredictionArgs(
  values: Partial<Record<(typeof PREDICTION_OPTIONS)[number] | 'model' | 'pool' | 'epochs', string>>,
): PredictionArgs | null {
  const predProbs = values['pred-probs'];
  if (!predProbs) {
    for (const name of ['features', 'classes', 'manifest'] as const)
      if (values[name] !== undefined) throw new UsageError(`--${name} is read with --pred-probs, which is missing`);
    return null;
  }
  if (values.model !== undefined)
    throw new UsageError('--pred-probs and --model are two sources of predictions: give one');
  if (values.pool !== undefined)
    throw new UsageError(
      "--pred-probs scores the training dataset's own files (one row per file of --train): drop --pool",
    );
  if (values.epochs !== undefined) throw new UsageError('--epochs trains a model; --pred-probs trains none');
  if (values.manifest !== undefined && !isNpy(predProbs) && !(values.features && isNpy(values.features)))
    throw new UsageError(
      '--manifest gives the row order of a .npy; a CSV of predictions names its rows in its "path" column',
    );
  return {
    predProbs,
    features: values.features,
    classes: values.classes === undefined ? undefined : parseClassList(values.classes),
    manifest: values.manifest,
  };
}

export function parseClassList(raw: string): string[] {
  const classes = raw.split(',').map((c) => c.trim());
  if (classes.length < 2 || classes.some((c) => c === ''))
    throw new UsageError(`--classes must name two or more classes, comma-separated (a,b,c), got '${raw}'`);
  const dup = classes.find((c, i) => classes.indexOf(c) !== i);
  if (dup !== undefined) throw new UsageError(`--classes names '${dup}' twice`);
  return classes;
}

function isNpy(file: string): boolean {
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
    ? (await import('../engine/datasets/list-files.js'))
        .listDatasetFiles(train, limits)
        .then((l) => l.map((f) => f.path))
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
