// `unsure score --pred-probs <file> [--features <file>] [--classes a,b,c] [--manifest <csv>]`:
// the flags; reading the files is pipeline/score-predictions.ts (the app reads them too).
import { isNpy, type PredictionArgs } from '../engine/pipeline/score-predictions.js';
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
