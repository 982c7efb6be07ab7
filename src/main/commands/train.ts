// `unsure train`: train on a labeled dataset and save the model (weights, class list,
// provenance) to a folder that `unsure score --model` and the app can load.
import {
  UsageError,
  guardRunOutputs,
  parseIntArg,
  parseLimits,
  progressPrinter,
  withExitCode,
  parseStringOptions,
} from './cli-common.js';
import { reportBackend } from './score.js';
import { skippedReportPath, skippedSummary, writeSkippedReport } from './skipped-report.js';

export const trainUsage = `Usage: unsure train --train <labeled dataset> --out <dir> [options]

Trains the CNN on the labeled dataset (about 10% of each class held out to measure
accuracy) and saves it into <dir>: model.json (architecture, class list, provenance:
modelVersion, data hash, seed, options, libtensorflow version), weights.bin and a hidden
.unsure-model marker. The model is written into a hidden temporary folder and swapped into
place, so at any moment <dir> holds either the previous model or the new one (after a
crash, the next run puts the previous one back). A class named "other" becomes an extra
output class. An identical earlier training is reused from the project folder.

Options:
  --train <path>     class folders, CSV manifest (path,label) or IDX folder
  --out <dir>        where to save the model. An existing <dir> is replaced only when it is
                     empty or a model Unsure saved; it may not lie inside (or hold) the
                     dataset, and its parent folder must exist and be writable. All of this
                     is checked before any training starts.
  --epochs <n>       training epochs, 1 to 200 (default 3)
  --seed <n>         seed (default 42)
  --project <dir>    workspace for cached models (default: per dataset under the Unsure home)
  --max-pixels <n>   refuse images larger than n megapixels (width x height) before
                     decoding them (default 100)
  --max-file-mb <n>  refuse files larger than n MiB before reading them (default 200)
  --strict           fail on the first refused file instead of skipping it

A refused file (unreadable, truncated, over the limits, a link out of the dataset, not a
regular file) is skipped: stderr names the first ten (then "and N more"), and the sibling
file <dir>.skipped.txt lists them all (one "split: path: reason" per line; written only
when files were skipped, removed otherwise).`;

function parseTrainArgs(argv: string[]) {
  const values = parseStringOptions(
    argv,
    ['train', 'out', 'epochs', 'seed', 'project', 'max-pixels', 'max-file-mb'],
    ['strict'],
  );
  if (!values.train) throw new UsageError('--train <labeled dataset> is required');
  if (!values.out) throw new UsageError('--out <dir> is required');
  const epochs = parseIntArg('epochs', values.epochs, 1, 200);
  const seed = parseIntArg('seed', values.seed, 0, 2 ** 31 - 1);
  const limits = parseLimits(values);
  const { out, projectDir } = guardRunOutputs({ ...values, out: values.out, train: values.train }, 'model');
  return { train: values.train, out, epochs, seed, limits, strict: values.strict === true, projectDir };
}

export async function runTrain(argv: string[]): Promise<number> {
  return withExitCode('train', async () => {
    // Every refusal comes from here, before TensorFlow loads or anything is written.
    const args = parseTrainArgs(argv);
    const t0 = performance.now();
    const bar = progressPrinter();
    // Loaded here, not at the top: TensorFlow takes seconds to load, and `--help` needs none of it.
    const { Engine } = await import('../engine/engine.js');
    const core = new Engine();
    reportBackend(core);
    try {
      const { seed } = args;
      const opened = await core.open(
        { train: args.train, projectDir: args.projectDir, seed, limits: args.limits, strict: args.strict },
        bar.update,
      );
      bar.done();
      const skipped = opened.skipped ?? [];
      const report = skippedReportPath(args.out);
      process.stderr.write(skippedSummary(skipped, report));
      const labels = opened.samples.map((s) => s.label);
      const tr = await core.train({ labels, epochs: args.epochs, seed }, bar.update, new AbortController().signal);
      bar.done();
      await core.saveModel(args.out);
      await writeSkippedReport(skipped, report);
      process.stderr.write(
        `model ${tr.modelVersion}${tr.cached ? ' (reused from cache)' : ''}: classes ${tr.classes.join(', ')}; ` +
          `held-out accuracy ${(100 * tr.heldOutAccuracy).toFixed(2)}%\nsaved to ${args.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
      );
    } finally {
      bar.done();
      await core.close();
    }
  });
}
