// Label issues at several sizes, as a user meets them: MNIST training digits written as PNG
// class folders with 5% of the labels flipped, then `unsure score --train <folder>` (the
// label check, cold) and the Keras peer on the same folder (keras_pipeline.py TRAIN - OUT:
// in-sample self-confidence, 1 - p(given label)). Prints AUROC and precision@k (k = number
// of flips) of each CSV's label_issue column, both wall times, and the cores each kept busy.
// `npm run bench -- labels [--sizes 5000,10000,20000,60000]`
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readMnistRaw } from '../src/main/engine/datasets/index.js';
import { PIXELS_PER_IMAGE } from '../src/main/engine/types.js';
import { auroc, precisionAtK } from '../src/main/engine/scores/metrics.js';
import { parseCsv } from '../src/main/engine/datasets/csv.js';
import { formatTable } from './machine.js';
import { flipFivePercent } from './quality-layout.js';
import { writePngs } from './fixtures.js';
import { KERAS_SCRIPT, kerasPython, peerMissing, timedRun, unsureArgs } from './peer.js';

export const DEFAULT_LABEL_SIZES = [5000, 10000, 20000];

/** Writes the first n training digits as <dir>/<label>/<i>.png with 5% of labels flipped; the flipped names. */
async function writeNoisyFolder(dir: string, n: number, seed: number): Promise<Set<string>> {
  const train = readMnistRaw('train');
  const { noisy: label, flipped: isFlipped } = flipFivePercent(
    Array.from({ length: n }, (_, i) => train.labels[i]!),
    seed,
  );
  const flipped = new Set<string>();
  isFlipped.forEach((f, i) => f && flipped.add(`${i}.png`));
  await writePngs(dir, train.pixels.subarray(0, n * PIXELS_PER_IMAGE), (i) => String(label[i]));
  return flipped;
}

/** label_issue per file name, from a score CSV with `path` and `label_issue` columns. */
async function labelIssueColumn(csvPath: string): Promise<Map<string, number>> {
  const rows = parseCsv(await readFile(csvPath, 'utf8')).map((r) => r.fields);
  const header = rows[0] ?? [];
  const p = header.indexOf('path');
  const li = header.indexOf('label_issue');
  if (p < 0 || li < 0) throw new Error(`${csvPath}: no path or label_issue column`);
  const out = new Map<string, number>();
  for (const r of rows.slice(1)) if (r[p]) out.set(path.basename(r[p]), Number(r[li]));
  return out;
}

function judge(scores: Map<string, number>, flipped: Set<string>): { auroc: number; pk: number } {
  const names = [...scores.keys()];
  const s = Float32Array.from(names, (n) => scores.get(n)!);
  const y = Uint8Array.from(names, (n) => (flipped.has(n) ? 1 : 0));
  const pos = names.filter((n) => flipped.has(n)).map((n) => scores.get(n)!);
  const neg = names.filter((n) => !flipped.has(n)).map((n) => scores.get(n)!);
  return { auroc: auroc(pos, neg), pk: precisionAtK(s, y, flipped.size) };
}

export async function runLabelSizes(out: (s: string) => void, sizes = DEFAULT_LABEL_SIZES, seed = 42): Promise<void> {
  const missing = peerMissing();
  if (missing) out(`Keras peer skipped: ${missing}\n`);
  const rows: (string | number)[][] = [
    ['images', 'Unsure AUROC', 'p@k', 'time s', 'cores', 'Keras AUROC', 'p@k', 'time s', 'cores'],
  ];
  for (const n of sizes) {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'unsure-bench-labels-'));
    try {
      const dir = path.join(tmp, 'train');
      const flipped = await writeNoisyFolder(dir, n, seed);
      const ours = path.join(tmp, 'unsure.csv');
      const u = await timedRun(process.execPath, unsureArgs('score', '--train', dir, '--out', ours), {
        ...process.env,
        UNSURE_HOME: path.join(tmp, 'home'),
      });
      const a = judge(await labelIssueColumn(ours), flipped);
      const row: (string | number)[] = [n, a.auroc, a.pk, u.wallSec, u.cpuSec / u.wallSec];
      if (!missing) {
        const theirs = path.join(tmp, 'keras.csv');
        const k = await timedRun(kerasPython(), [KERAS_SCRIPT, dir, '-', theirs]);
        const b = judge(await labelIssueColumn(theirs), flipped);
        row.push(b.auroc, b.pk, k.wallSec, k.cpuSec / k.wallSec);
      }
      rows.push(row);
      out(`${n}: Unsure ${a.auroc.toFixed(4)} / ${a.pk.toFixed(3)}\n`);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  out(
    `\nLabel issues, 5% of labels flipped (targets: AUROC >= 0.999 and precision@k >= 0.97 from 10k, never below the peer)\n`,
  );
  out(formatTable(rows));
}
