// `unsure score`: train (or reuse the cached model, or load the user's) and write every
// sample's doubt scores to a CSV. Runs the engine in this process: there is no UI event
// loop to protect here, and it saves copying the score table across threads.
import { givenTrainingLabels } from '../../shared/journal-fold.js';
import { DoubtFlag } from '../../shared/api.js';
import { weakModelAccuracy } from '../../shared/label-doubt.js';
import { writeTextAtomic } from '../engine/project/atomic-write.js';
import { scoreCsvLines } from '../engine/pipeline/score-csv.js';
import { copyCounts, fileRows } from '../engine/pipeline/file-rows.js';
import type { Engine } from '../engine/engine.js';
import { formatStages, onNewPhase, stageProfiler } from './stage-profile.js';
import {
  UsageError,
  guardRunOutputs,
  parseIntArg,
  parseLimits,
  parseStringOptions,
  progressPrinter,
  withExitCode,
} from './cli-common.js';
import { logMemory, memoryLogged } from './memory-log.js';
import { skippedReportPath, skippedSummary, writeSkippedReport } from './skipped-report.js';
import { describeRecipe, type ModelArch } from '../../shared/recipe.js';
import { PREDICTION_OPTIONS, parsePredictionArgs, predictionUsage } from './score-predictions.js';
import { readScorePredictions } from '../engine/pipeline/score-predictions.js';
import { preprocessFromFlags, type PreprocessFlagValues } from '../engine/model/user/preprocess-flags.js';

/** A --model's preprocessing, as Hugging Face's image-processor fields (model/user/preprocess-flags.ts). */
const PREPROCESS_STRINGS = [
  'size',
  'crop-size',
  'rescale-factor',
  'image-mean',
  'image-std',
] as const satisfies readonly (keyof PreprocessFlagValues)[];
const PREPROCESS_BOOLEANS = [
  'no-resize',
  'no-rescale',
  'no-normalize',
  'center-crop',
] as const satisfies readonly (keyof PreprocessFlagValues)[];

export const scoreUsage = `Usage: unsure score --train <labeled dataset> [--pool <dataset>] --out <file.csv> [options]

Trains a model on the labeled dataset (about 10% of each class held out for calibration),
or reuses the saved model when the same data, labels, seed and options were trained before,
then writes one CSV row per pool file (per training file when there is no pool; those
rows carry label_issue from out-of-fold checks: models that never saw the row's label).
Files with identical bytes are one sample (one id, one set of scores, one decision): each
still gets its row, and duplicate_of names the first file of the same bytes. Identical
files given different labels are a label conflict: label_issue 1 and flagged on every
copy, and training uses neither label.

Options:
  --train <path>     labeled dataset: class folders, CSV manifest (path,label) or IDX folder
  --pool <path>      dataset to review (labels optional)
  --out <file.csv>   output file (written atomically; replaced if it exists). It may not lie
                     inside a dataset (datasets are read-only to Unsure), and its folder must
                     exist and be writable: both are checked before any work starts.
  --epochs <n>       training epochs (default 3)
  --seed <n>         seed for the split, initialisation and shuffling (default 42)
  --model <dir>      score with your own model instead of training: an Unsure checkpoint
                     (unsure train), a tfjs Layers or graph model (model.json), a TensorFlow
                     SavedModel (saved_model.pb) or an ONNX model (*.onnx, e.g. exported from
                     PyTorch), at any input size; NHWC or NCHW is read from the model. Class
                     names from classes.json, labels.txt or config.json's id2label in that
                     folder, else the training dataset's classes. Preprocessing from
                     preprocessor_config.json (Hugging Face's image-processor fields) or these
                     flags: --size HxW, --crop-size HxW, --center-crop, --no-resize,
                     --rescale-factor f, --no-rescale, --image-mean a,b,c, --image-std a,b,c,
                     --no-normalize. Features are the input of the final Dense layer (Layers) or
                     an output named like "embedding"/"features"; without one, the logit vector
                     is used for the kNN distance. The model runs once per image; a retrain
                     after decisions trains a head on its features and never changes it.
${predictionUsage}
  --project <dir>    workspace for cached models (default: a folder per dataset under
                     $UNSURE_HOME, or $XDG_DATA_HOME/unsure, or ~/.local/share/unsure)
  --max-pixels <n>   refuse images larger than n megapixels (width x height) before
                     decoding them (default 100)
  --max-file-mb <n>  refuse files larger than n MiB before reading them (default 200)
  --strict           fail on the first refused file instead of skipping it
  --arch <family>    cnn (the small CNN, trained end to end), backbone (the shipped
                     pretrained MobileNetV2 with a trained head), or auto (default: small
                     grey images of marks on a plain background, no side over 64 px, take
                     the CNN; anything else the backbone)
  --backbone <p|url> another backbone than the shipped MobileNetV2-0.35: a folder or an
                     http(s) URL, downloaded once into $UNSURE_HOME/cache/backbones and checked
                     on every use. A tfjs MobileNetV2 (Keras layer names) is run as the shipped
                     one is; any other tfjs, SavedModel or ONNX model gives its features (as
                     --model finds them; the preprocessing flags above apply) and a head is
                     trained on them for the dataset's classes
  --backbone-sha256 <hex>  the sha256 its main file (model.json or the .onnx) must have

A refused file (unreadable, truncated, over the limits, a link out of its dataset, not a
regular file) is skipped: stderr names the first ten (then "and N more"), and
<file.csv>.skipped.txt lists them all (one "split: path: reason" per line; written only
when files were skipped). The run fails only when nothing usable remains, or with --strict.

Columns: id,path,split,label,predicted,confidence,msp,margin,entropy,energy,knn_distance,
mc_disagreement,ood_score,label_issue,review_priority,rank,flags,duplicate_of. Every score is "higher =
more doubtful"; rank 1 is the row to review first. mc_disagreement (how often 32 passes with
the CNN's dropout on disagree) is empty for a --model that is not an Unsure checkpoint.
flags adds label_conflict to label_issue on a conflict's rows. duplicate_of is empty for
a first file; a pool file identical to a training file names it as train:<path>.`;

/** "; 2 duplicate files, 1 label conflict", or '' when there are neither. */
export function copiesSummary(c: { duplicates: number; conflicts: number }): string {
  const parts: string[] = [];
  if (c.duplicates > 0) parts.push(`${c.duplicates} duplicate file${c.duplicates === 1 ? '' : 's'}`);
  if (c.conflicts > 0) parts.push(`${c.conflicts} label conflict${c.conflicts === 1 ? '' : 's'}`);
  return parts.length ? `; ${parts.join(', ')}` : '';
}

/** Every figure depends on it, so the CLI says which TensorFlow it runs on, first thing. */
export function reportBackend(core: Engine): void {
  const b = core.backend();
  process.stderr.write(`unsure: TensorFlow backend '${b.backend}', libtensorflow ${b.libtensorflow}\n`);
}

function parseScoreArgs(argv: string[]) {
  const values = parseStringOptions(
    argv,
    [
      'train',
      'pool',
      'out',
      'epochs',
      'seed',
      'model',
      'project',
      'max-pixels',
      'max-file-mb',
      'arch',
      'backbone',
      'backbone-sha256',
      ...PREDICTION_OPTIONS,
      ...PREPROCESS_STRINGS,
    ],
    ['strict', ...PREPROCESS_BOOLEANS],
  );
  if (!values.train) throw new UsageError('--train <labeled dataset> is required');
  if (!values.out) throw new UsageError('--out <file.csv> is required');
  const predictions = parsePredictionArgs(values);
  const epochs = parseIntArg('epochs', values.epochs, 1, 200);
  const seed = parseIntArg('seed', values.seed, 0, 2 ** 31 - 1);
  const limits = parseLimits(values);
  let arch = parseArch(values.arch);
  if (values.backbone) {
    if (arch === 'cnn')
      throw new UsageError('--backbone names a backbone and --arch cnn asks for none: give one of them');
    arch = 'backbone';
  }
  const preprocess = preprocessFromFlags(values);
  // Every path written is checked before any work: the CSV, its skipped-files report, the workspace.
  const { out, projectDir } = guardRunOutputs({ ...values, out: values.out, train: values.train }, 'file');
  return {
    train: values.train,
    pool: values.pool,
    out,
    model: values.model,
    projectDir,
    epochs,
    seed,
    limits,
    strict: values.strict === true,
    arch,
    predictions,
    preprocess,
    backbone: values.backbone
      ? {
          spec: values.backbone,
          ...(values['backbone-sha256'] ? { sha256: values['backbone-sha256'] } : {}),
          ...(preprocess ? { preprocess } : {}),
        }
      : undefined,
  };
}

function parseArch(v: string | undefined): ModelArch | 'auto' {
  if (v === undefined || v === 'auto' || v === 'cnn' || v === 'backbone') return v ?? 'auto';
  throw new UsageError(`--arch must be cnn, backbone or auto, not "${v}"`);
}

export async function runScore(argv: string[]): Promise<number> {
  return withExitCode('score', async () => {
    const args = parseScoreArgs(argv);
    const t0 = performance.now();
    const profile = process.env.UNSURE_PROFILE === '1' ? stageProfiler() : null;
    const printer = progressPrinter();
    const bar = memoryLogged(profile ? onNewPhase(printer, profile.enter) : printer);
    // Loaded here, not at the top: TensorFlow takes seconds to load, and `--help` needs none of it.
    const { Engine } = await import('../engine/engine.js');
    const core = new Engine();
    reportBackend(core);
    try {
      const opened = await core.open(
        {
          train: args.train,
          pool: args.pool,
          projectDir: args.projectDir,
          seed: args.seed,
          limits: args.limits,
          strict: args.strict,
          arch: args.arch,
          // Rows from a user's model or a file replace the backbone's: do not compute those.
          extract: !args.model && !args.predictions,
          ...(args.backbone ? { backbone: args.backbone } : {}),
        },
        bar.update,
      );
      bar.done();
      // A user's model or predictions replace the family the data would take: its summary says what scored.
      if (!args.model && !args.predictions)
        process.stderr.write(`unsure: ${opened.family.reason}; ${describeRecipe(opened.recipe)}\n`);
      if (opened.backboneNotes) process.stderr.write(`unsure: backbone: ${opened.backboneNotes.join('; ')}\n`);
      logMemory('open');
      const skipped = opened.skipped ?? [];
      const report = skippedReportPath(args.out);
      process.stderr.write(skippedSummary(skipped, report));
      // Only the training split trains the model: a labeled pool is still the thing reviewed.
      const labels = givenTrainingLabels(opened.samples);
      // A pool whose every file copies a training file has no samples of its own, and is still the pool.
      const hasPool = args.pool !== undefined || opened.samples.some((s) => s.split === 'pool');
      let summary: string;
      let accuracy: number;
      if (args.predictions) {
        const { pred, rows } = await readScorePredictions(args.predictions, args.train, opened, args.limits);
        if (rows.notes.length) process.stderr.write(`predictions: ${rows.notes.join('; ')}\n`);
        const used = await core.usePredictions(rows, labels);
        accuracy = used.heldOutAccuracy;
        summary = `predictions ${args.predictions} (${pred.classSource})`;
      } else if (args.model) {
        const used = await core.useModel(args.model, labels, bar.update, args.preprocess);
        accuracy = used.heldOutAccuracy;
        summary = `model ${args.model} (${used.notes.join('; ')})`;
      } else {
        const tr = await core.train(
          { labels, epochs: args.epochs, seed: args.seed },
          bar.update,
          new AbortController().signal,
        );
        accuracy = tr.heldOutAccuracy;
        summary = `model ${tr.modelVersion}${tr.cached ? ' (reused from cache)' : ''}`;
      }
      bar.done();
      logMemory('train');
      if (!hasPool) {
        await core.labelCheck(labels, bar.update, new AbortController().signal);
        bar.done();
      }
      const table = await core.score(bar.update);
      bar.done();
      logMemory('score');
      // One row per file: copies of a sample share its scores (file-rows.ts).
      const rows = fileRows(opened.samples, opened.copies, hasPool ? 'pool' : 'train');
      await writeTextAtomic(args.out, scoreCsvLines(table, rows));
      logMemory('csv');
      await writeSkippedReport(skipped, report);
      let flagged = 0;
      let labelFlagged = 0;
      for (const r of rows) {
        if (table.flags[r.sample]) flagged++;
        if (table.flags[r.sample]! & DoubtFlag.labelIssue) labelFlagged++;
      }
      const heldOut = table.heldOutIndices.length;
      const weak = labelFlagged > 0 ? weakModelAccuracy(accuracy) : null;
      process.stderr.write(
        `${summary}, held-out accuracy ${(100 * accuracy).toFixed(2)}% on ${heldOut} held-out sample${heldOut === 1 ? '' : 's'}\nwrote ${rows.length} rows to ${args.out} (${flagged} flagged${copiesSummary(copyCounts(rows))}) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n` +
          (weak
            ? `note: the model is ${weak}: many of the ${labelFlagged} label_issue flags are its own mistakes rather than wrong labels\n`
            : ''),
      );
      if (profile) process.stderr.write(formatStages(profile.finish()));
    } finally {
      bar.done();
      await core.close();
    }
  });
}
