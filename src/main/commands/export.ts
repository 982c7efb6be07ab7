// `unsure export`: the corrected dataset written from the command line: the decisions made in
// the app (the project's journal) applied to the given labels, as the app's Export writes
// them, for a pipeline that takes the corrections without opening the app.
import {
  UsageError,
  guardRunOutputs,
  parseLimits,
  parseStringOptions,
  progressPrinter,
  withExitCode,
} from './cli-common.js';
import { reportBackend } from './score.js';
import { skippedReportPath, skippedSummary, writeSkippedReport } from './skipped-report.js';

export const exportUsage = `Usage: unsure export --train <labeled dataset> [--pool <dataset>] --out <dir> [options]

Writes the corrected dataset into <dir>: one folder per final class (other/ for samples
marked "other") with the original files byte for byte, and manifest.csv / manifest.jsonl
with every file's given label, decision, reviewer and time. The decisions are those made in
the app on the same datasets (the project's decisions.jsonl); files nobody decided keep
their given label, and unlabeled pool files nobody decided go to unlabeled/. No model is
trained and no score is written (unsure score writes those; the app's Export adds both).

Options:
  --train <path>     the training dataset, as opened in the app
  --pool <path>      the pool, as opened in the app (the same pair finds the same project)
  --out <dir>        the export folder: new, empty, or an earlier Unsure export (replaced);
                     not inside a dataset. Written into a hidden folder and swapped into place.
  --project <dir>    the project folder (default: the one the app uses for these datasets)
  --max-pixels <n>   refuse images larger than n megapixels before decoding them (default 100)
  --max-file-mb <n>  refuse files larger than n MiB before reading them (default 200)
  --strict           fail on the first refused file instead of skipping it

A refused file (unreadable, over the limits, a link out of the dataset) is left out of the
export: stderr names the first ten, and <dir>.skipped.txt lists them all.`;

function parseExportArgs(argv: string[]) {
  const values = parseStringOptions(argv, ['train', 'pool', 'out', 'project', 'max-pixels', 'max-file-mb'], ['strict']);
  if (!values.train) throw new UsageError('--train <labeled dataset> is required');
  if (!values.out) throw new UsageError('--out <dir> is required');
  const { out, projectDir } = guardRunOutputs({ ...values, out: values.out, train: values.train }, 'export');
  return {
    train: values.train,
    pool: values.pool,
    out,
    projectDir,
    limits: parseLimits(values),
    strict: values.strict === true,
  };
}

export async function runExport(argv: string[]): Promise<number> {
  return withExitCode('export', async () => {
    // Every refusal of the arguments comes from here, before TensorFlow loads.
    const args = parseExportArgs(argv);
    const t0 = performance.now();
    const bar = progressPrinter();
    const { Engine } = await import('../engine/engine.js');
    const { openJournal } = await import('../engine/review/journal.js');
    const { exportDataset } = await import('../engine/export/export-dataset.js');
    const { finalLabels, foldJournal, givenLabelsOf } = await import('../../shared/journal-fold.js');
    const core = new Engine();
    reportBackend(core);
    try {
      // Only the files are needed: no backbone runs.
      const opened = await core.open(
        {
          train: args.train,
          pool: args.pool,
          projectDir: args.projectDir,
          limits: args.limits,
          strict: args.strict,
          extract: false,
        },
        bar.update,
      );
      bar.done();
      const skipped = opened.skipped ?? [];
      const report = skippedReportPath(args.out);
      process.stderr.write(skippedSummary(skipped, report));
      const journal = openJournal(args.projectDir, { warn: (m) => process.stderr.write(`unsure export: ${m}\n`) });
      const fold = foldJournal(journal.entries(), givenLabelsOf(opened.samples));
      const summary = await exportDataset({
        dest: args.out,
        samples: opened.samples,
        pixels: opened.pixels,
        shape: opened.shape,
        decisions: fold.samples,
        labels: finalLabels(opened.samples, fold),
        copies: opened.copies,
        sourceRoots: opened.roots,
        onProgress: (done, total) =>
          bar.update({
            task: 'export',
            phase: 'writing',
            fraction: total ? done / total : 1,
            message: `${done} / ${total} files`,
          }),
      });
      bar.done();
      await writeSkippedReport(skipped, report);
      const decided = [...fold.samples.values()].filter((s) => s.decided).length;
      const images = Object.values(summary.perClass).reduce((a, b) => a + b, 0);
      const classes = Object.entries(summary.perClass)
        .map(([c, k]) => `${c} ${k}`)
        .join(', ');
      process.stderr.write(
        `${decided} decisions from ${journal.file}, ${summary.corrected} labels corrected\n` +
          `wrote ${images} images and the manifests to ${summary.dir} (${classes}) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
      );
    } finally {
      bar.done();
      await core.close();
    }
  });
}
