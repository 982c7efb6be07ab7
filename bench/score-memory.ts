// `npm run bench -- memory`: peak resident memory of the whole `unsure score` job as the
// pool grows (10k, 100k, 500k images; 60k MNIST training images, IDX, cold), so memory per
// pool sample can be read off the slope. Each N runs the CLI as a child process with a fresh
// UNSURE_HOME; its peak is the largest of the child's own maxRSS (reported at exit by
// bench/max-rss-at-exit.mjs, exact) and the polled RSS sum of its process tree (any
// workers). The pools are MNIST test digits, shifted and speckled so every image is its own
// content (identical images would be merged), written once to a cache folder under the
// system temp folder (never committed).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mnistSlice, writeIdxDataset } from './fixtures.js';
import { formatTable } from './machine.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(os.tmpdir(), 'unsure-bench-memory');

export interface MemoryRun {
  pool: number;
  peakBytes: number;
  wallSec: number;
  rows: number;
  exitCode: number | null;
}

/**
 * n distinct 28x28 images: MNIST test digit i % 10000 shifted by one of nine offsets, with
 * a few pixels nudged from a seeded generator (distinct bytes, distinct sample ids).
 */
export function perturbedPool(n: number, seed = 11): Uint8Array {
  const test = mnistSlice('test', 0, 10_000).pixels;
  const out = new Uint8Array(n * 784);
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  for (let i = 0; i < n; i++) {
    const src = (i % 10_000) * 784;
    const shift = Math.floor(i / 10_000) % 9;
    const dx = (shift % 3) - 1;
    const dy = Math.floor(shift / 3) - 1;
    const dst = i * 784;
    for (let y = 0; y < 28; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= 28) continue;
      for (let x = 0; x < 28; x++) {
        const sx = x - dx;
        if (sx >= 0 && sx < 28) out[dst + y * 28 + x] = test[src + sy * 28 + sx]!;
      }
    }
    for (let j = 0; j < 12; j++) {
      const r = rand();
      const p = dst + (r % 784);
      out[p] = Math.min(255, out[p]! + 16 + ((r >>> 16) % 48));
    }
  }
  return out;
}

async function cachedDataset(name: string, make: () => { pixels: Uint8Array; labels: Uint8Array | null }) {
  const dir = path.join(cacheDir, name);
  const done = path.join(dir, '.complete');
  if (!existsSync(done)) {
    await rm(dir, { recursive: true, force: true });
    await writeIdxDataset(dir, make(), name.startsWith('train') ? 'train' : 'pool');
    await mkdir(done);
  }
  return dir;
}

/** Sum of VmRSS over pid and its descendants (bytes); 0 once it is gone. */
export function treeRss(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      if (m) total += Number(m[1]) * 1024;
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // the process ended between listing and reading
    }
  }
  return total;
}

/** Node's arguments before the CLI's: tsx, and the hook that records the exact peak RSS at exit. */
const MEASURED_NODE_ARGS = [
  '--import',
  'tsx',
  '--import',
  path.join(root, 'bench/max-rss-at-exit.mjs'),
  path.join(root, 'src/main/cli.ts'),
];
/** The stderr kept: the last megabyte (a long open prints many progress lines). */
const STDERR_KEPT = 1 << 20;

export interface MeasuredRun {
  exitCode: number | null;
  /** The larger of the exit hook's exact peak and the process tree's polled RSS. */
  peakBytes: number;
  wallSec: number;
  stderr: string;
}

/** Runs `unsure <cliArgs>` with UNSURE_HOME=home, polling its process tree's RSS every pollMs. */
export async function runMeasuredCli(
  cliArgs: readonly string[],
  home: string,
  rssFile: string,
  pollMs: number,
): Promise<MeasuredRun> {
  const t0 = performance.now();
  let polled = 0;
  let stderr = '';
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [...MEASURED_NODE_ARGS, ...cliArgs], {
      cwd: root,
      env: { ...process.env, UNSURE_HOME: home, UNSURE_BENCH_MAX_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const timer = setInterval(() => (polled = Math.max(polled, treeRss(child.pid!))), pollMs);
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-STDERR_KEPT)));
    child.on('error', reject);
    child.on('exit', (c) => {
      clearInterval(timer);
      resolve(c);
    });
  });
  const wallSec = (performance.now() - t0) / 1000;
  const exact = existsSync(rssFile) ? Number(await readFile(rssFile, 'utf8')) : 0;
  return { exitCode, peakBytes: Math.max(exact, polled), wallSec, stderr };
}

export async function runScoreMemoryOnce(
  out: (s: string) => void,
  train: string,
  pool: string,
  nPool: number,
  epochs: number,
): Promise<MemoryRun> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'unsure-bench-mem-run-'));
  try {
    const csv = path.join(tmp, 'scores.csv');
    const rssFile = path.join(tmp, 'max-rss.txt');
    const args = [
      'score',
      '--train',
      train,
      '--pool',
      pool,
      '--out',
      csv,
      '--epochs',
      String(epochs),
      // A 500k pool's IDX file is 392 MB, over the default 200 MB file limit.
      '--max-file-mb',
      '2000',
    ];
    out(`Running: UNSURE_HOME=<fresh> node ${[...MEASURED_NODE_ARGS, ...args].join(' ')}\n`);
    const r = await runMeasuredCli(args, path.join(tmp, 'home'), rssFile, 100);
    const code = r.exitCode;
    const keep = code === 0 ? /^(model|wrote|unsure: memory)/ : /./;
    out(
      r.stderr
        .split(/\r|\n/)
        .filter((l) => keep.test(l))
        .join('\n') + '\n',
    );
    let rows = 0;
    if (code === 0) {
      const text = await readFile(csv, 'utf8');
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
      rows -= 1; // the header
    }
    return { pool: nPool, peakBytes: r.peakBytes, wallSec: r.wallSec, rows, exitCode: code };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export async function runScoreMemory(
  out: (s: string) => void,
  opts: { pools?: number[]; epochs?: number } = {},
): Promise<MemoryRun[]> {
  const pools = opts.pools ?? [10_000, 100_000, 500_000];
  const epochs = opts.epochs ?? 3;
  await mkdir(cacheDir, { recursive: true });
  const train = await cachedDataset('train-60000', () => mnistSlice('train', 0, 60_000));
  const runs: MemoryRun[] = [];
  for (const n of pools) {
    const pool = await cachedDataset(`pool-${n}`, () => ({ pixels: perturbedPool(n), labels: null }));
    out(`pool of ${n}: ${((await stat(path.join(pool, 'pool-images-idx3-ubyte'))).size / 2 ** 20).toFixed(0)} MiB\n`);
    runs.push(await runScoreMemoryOnce(out, train, pool, n, epochs));
  }
  const base = runs[0]!;
  const mb = (b: number) => b / 2 ** 20;
  out(
    formatTable([
      ['pool', 'peak RSS (MiB)', 'bytes/pool sample above smallest', 'wall (s)', 'ms/pool sample', 'rows', 'exit'],
      ...runs.map((r) => [
        r.pool,
        mb(r.peakBytes),
        r === base ? '-' : ((r.peakBytes - base.peakBytes) / (r.pool - base.pool)).toFixed(0),
        r.wallSec,
        (1000 * r.wallSec) / r.pool,
        r.rows,
        r.exitCode ?? -1,
      ]),
    ]),
  );
  out(`(60,000 MNIST training images, IDX, ${epochs} epochs, cold; target <= 2048 bytes per pool sample at 500k)\n`);
  return runs;
}
