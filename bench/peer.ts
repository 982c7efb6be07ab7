// The Keras peer of ../shared/reference (keras_pipeline.py), run as a child process the way
// its README says: one process, start to exit. Needs a Python with TensorFlow 2.21 and
// Pillow (the wheel store's tensorflow-cpu): KERAS_PYTHON names it (default python3).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshBundle } from '../scripts/cli-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const KERAS_SCRIPT = path.resolve(root, '..', 'shared', 'reference', 'keras_pipeline.py');

export function kerasPython(): string {
  return process.env.KERAS_PYTHON ?? 'python3';
}

/** Why the peer cannot run here, or null when it can. */
export function peerMissing(): string | null {
  if (!existsSync(KERAS_SCRIPT)) return `no peer script at ${KERAS_SCRIPT}`;
  const r = spawnSync(kerasPython(), ['-c', 'import tensorflow, PIL'], { stdio: 'ignore' });
  return r.status === 0 ? null : `${kerasPython()} cannot import tensorflow and PIL (set KERAS_PYTHON)`;
}

export interface RunResult {
  wallSec: number;
  cpuSec: number;
  stderr: string;
  stdout: string;
}

/** Runs a command to its exit; wall seconds, and the CPU seconds of the child and its threads (GNU time, where installed). */
export async function timedRun(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  const t0 = performance.now();
  return await new Promise<RunResult>((resolve, reject) => {
    const gnuTime = existsSync('/usr/bin/time');
    const [exe, argv] = gnuTime ? ['/usr/bin/time', ['-f', '__cpu %U %S', cmd, ...args]] : [cmd, args];
    const child = spawn(exe, argv, {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallSec = (performance.now() - t0) / 1000;
      const m = /__cpu ([\d.]+) ([\d.]+)/.exec(stderr);
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`));
      resolve({ wallSec, cpuSec: m ? Number(m[1]) + Number(m[2]) : Number.NaN, stderr, stdout });
    });
  });
}

/** `unsure <args>` as a user runs it: bin/unsure.mjs, from the CLI's bundle when that is current. */
export function unsureArgs(...args: string[]): string[] {
  return [path.join(root, 'bin', 'unsure.mjs'), ...args];
}

/** Which code `unsure <command>` runs in this checkout, for a benchmark's header. */
export function unsureCode(command: string): string {
  return freshBundle(root, command)
    ? 'the CLI bundle (out/cli, current)'
    : 'the sources through tsx (no current bundle: npm run build:cli)';
}

const CNN_EPOCH_SCRIPT = path.join(root, 'bench', 'keras-cnn-epoch.py');

/** Seconds of one Keras epoch of Unsure's CNN on the first n MNIST images (bench/keras-cnn-epoch.py). */
export async function kerasCnnEpoch(n: number): Promise<number> {
  const r = await timedRun(kerasPython(), [CNN_EPOCH_SCRIPT, String(n)], { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' });
  const m = /epoch_seconds ([\d.]+)/.exec(r.stderr + r.stdout);
  if (!m) throw new Error(`${CNN_EPOCH_SCRIPT} printed no epoch_seconds:\n${r.stderr.slice(-1000)}`);
  return Number(m[1]);
}
