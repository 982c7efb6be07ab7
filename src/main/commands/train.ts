// `unsure train`: train on a labeled dataset and save the model (weights, class list,
// provenance) to a folder that `unsure score --model` and the app can load.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  UsageError,
  defaultProjectDir,
  parseIntArg,
  progressPrinter,
  withExitCode,
  parseStringOptions,
} from './cli-common.js';
import { reportBackend } from './score.js';

export const trainUsage = `Usage: unsure train --train <labeled dataset> --out <dir> [--epochs N] [--seed S] [--project <dir>]

Trains the CNN on the labeled dataset (about 10% of each class held out to measure
accuracy) and saves it into <dir>: model.json (architecture, class list, provenance:
modelVersion, data hash, seed, options, libtensorflow version) and weights.bin. The folder
is written under a temporary name and renamed into place. A class named "other" becomes
an extra output class. An identical earlier training is reused from the project folder.

Options:
  --train <path>    class folders, CSV manifest (path,label) or IDX folder
  --out <dir>       where to save the model (replaced if it exists)
  --epochs <n>      training epochs (default 3)
  --seed <n>        seed (default 42)
  --project <dir>   workspace for cached models (default: per dataset under the Unsure home)`;

export async function runTrain(argv: string[]): Promise<number> {
  return withExitCode('train', async () => {
    const values = parseStringOptions(argv, ['train', 'out', 'epochs', 'seed', 'project']);
    if (!values.train) throw new UsageError('--train <labeled dataset> is required');
    if (!values.out) throw new UsageError('--out <dir> is required');
    const out = path.resolve(values.out);
    if (existsSync(out) && !statSync(out).isDirectory())
      throw new UsageError(`--out: ${out} is a file, expected a folder`);
    if (!existsSync(path.dirname(out))) throw new UsageError(`--out: folder ${path.dirname(out)} does not exist`);
    const epochs = parseIntArg('epochs', values.epochs, 1, 200);
    const seed = parseIntArg('seed', values.seed, 0, 2 ** 31 - 1);
    const t0 = performance.now();
    const bar = progressPrinter();
    // Loaded here, not at the top: TensorFlow takes seconds to load, and `--help` needs none of it.
    const { EngineCore } = await import('../engine/worker/engine-core.js');
    const core = new EngineCore();
    reportBackend(core);
    try {
      const projectDir = values.project ? path.resolve(values.project) : defaultProjectDir(values.train);
      const opened = await core.open({ train: values.train, projectDir, seed }, bar.update);
      const labels = opened.samples.map((s) => s.label);
      const tr = await core.train({ labels, epochs, seed }, bar.update, new AbortController().signal);
      bar.done();
      await core.saveModel(out);
      process.stderr.write(
        `model ${tr.modelVersion}${tr.cached ? ' (reused from cache)' : ''}: classes ${tr.classes.join(', ')}; ` +
          `held-out accuracy ${(100 * tr.heldOutAccuracy).toFixed(2)}%\nsaved to ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
      );
    } finally {
      bar.done();
      core.close();
    }
  });
}
