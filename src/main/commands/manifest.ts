// `unsure manifest <dataset>`: the dataset's files in the order Unsure uses, as path,label
// CSV, so predictions made elsewhere (a .npy) can be written in that order. Lists files
// only: no image is decoded, and TensorFlow is not loaded for folders and CSV manifests.
import { parseArgs } from 'node:util';
import { csvCell } from '../engine/datasets/csv.js';
import { writeTextAtomic } from '../engine/project/atomic-write.js';
import { guardOutput } from '../engine/project/output-guard.js';
import { UsageError, parseLimits, withExitCode } from './cli-common.js';

export const manifestUsage = `Usage: unsure manifest <dataset> [--out <file.csv>] [options]

Prints the dataset's files as CSV (header path,label), one row per file, copies included,
in the order Unsure uses: the order of 'unsure score --train <dataset>' rows. Write the
rows of a .npy given to 'unsure score --pred-probs' in this order (or give this file as
--manifest). Nothing is decoded: a file refused only when decoded (corrupt, over the pixel
limit) is listed here, and its row is left out when scoring, with a note.

Options:
  --out <file.csv>   write to a file (atomically) instead of stdout
  --max-file-mb <n>  leave out files larger than n MiB, as the loaders do (default 200)`;

export async function runManifest(argv: string[]): Promise<number> {
  return withExitCode('manifest', async () => {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: { out: { type: 'string' }, 'max-file-mb': { type: 'string' } },
        strict: true,
        allowPositionals: true,
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const [dataset, ...more] = parsed.positionals;
    if (!dataset) throw new UsageError('a dataset is required: unsure manifest <dataset>');
    if (more.length > 0) throw new UsageError(`one dataset only, got ${parsed.positionals.length}`);
    const limits = parseLimits(parsed.values);
    const out = parsed.values.out
      ? guardOutput({ path: parsed.values.out, kind: 'file', datasets: [dataset], what: '--out' })
      : null;
    const { listDatasetFiles } = await import('../engine/datasets/list-files.js');
    const files = await listDatasetFiles(dataset, limits);
    const lines = ['path,label\n', ...files.map((f) => `${csvCell(f.path)},${csvCell(f.label ?? '')}\n`)];
    if (out) {
      await writeTextAtomic(out, lines);
      process.stderr.write(`wrote ${files.length} rows to ${out}\n`);
    } else {
      process.stdout.write(lines.join(''));
    }
  });
}
