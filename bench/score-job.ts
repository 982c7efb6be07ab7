// The whole `unsure score` job as a user runs it, start to exit: a fresh process reading a
// 20,000-image IDX training set and a 3,000-image pool, training 3 epochs (cold: an empty
// UNSURE_HOME, so no cached model), scoring, and writing the CSV.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mnistSlice, mixedPool, writeIdxDataset } from './fixtures.js';
import { formatTable } from './machine.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ScoreJobResult {
  wallSec: number;
  rows: number;
  exitCode: number | null;
}

export async function runScoreJob(
  out: (s: string) => void,
  opts: { trainSize?: number; poolSize?: number; epochs?: number } = {},
): Promise<ScoreJobResult> {
  const trainSize = opts.trainSize ?? 20_000;
  const poolSize = opts.poolSize ?? 3000;
  const epochs = opts.epochs ?? 3;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'unsure-bench-job-'));
  try {
    const train = await writeIdxDataset(path.join(tmp, 'train'), mnistSlice('train', 0, trainSize), 'train');
    const d = Math.floor(poolSize / 10);
    const pool = mixedPool(poolSize - 5 * d, { missegmented: 2 * d, scribble: d, noise: d, 'letters-like': d });
    const poolDir = await writeIdxDataset(path.join(tmp, 'pool'), { pixels: pool.pixels, labels: null }, 'pool');
    const csv = path.join(tmp, 'scores.csv');
    const args = [
      '--import',
      'tsx',
      path.join(root, 'src/main/cli.ts'),
      'score',
      '--train',
      train,
      '--pool',
      poolDir,
      '--out',
      csv,
      '--epochs',
      String(epochs),
    ];
    out(`Running: node ${args.join(' ')}\n`);
    const t0 = performance.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: root,
        env: { ...process.env, UNSURE_HOME: path.join(tmp, 'home') },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('error', reject);
      child.on('exit', (c) => {
        if (c !== 0) out(stderr);
        else
          out(
            stderr
              .split('\n')
              .filter((l) => /^(model|wrote)/.test(l))
              .join('\n') + '\n',
          );
        resolve(c);
      });
    });
    const wallSec = (performance.now() - t0) / 1000;
    const rows = code === 0 ? (await readFile(csv, 'utf8')).trim().split('\n').length - 1 : 0;
    out(
      formatTable([
        ['measure', 'value', 'target'],
        [
          `unsure score: ${trainSize} train (IDX), ${epochs} epochs, ${poolSize} pool, start to exit (s)`,
          wallSec,
          '<= 25',
        ],
        ['rows written', rows, String(poolSize)],
        ['exit code', code ?? -1, '0'],
      ]),
    );
    return { wallSec, rows, exitCode: code };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
