// The two sides of the colour benchmark, each run as one process start to exit, cold:
// Unsure's CLI (`node bin/unsure.mjs score`, a fresh UNSURE_HOME each run, UNSURE_PROFILE=1
// for its stage figures) and the Keras peer ../shared/reference/keras_colour_ref.py.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timedRun, type RunResult } from '../peer.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const COLOUR_PEER = path.resolve(root, '..', 'shared', 'reference', 'keras_colour_ref.py');
const SHARED_BACKBONE = path.resolve(root, '..', 'shared', 'models', 'mobilenet-v2-0.35-imagenet');
const SHIPPED_BACKBONE = path.join(root, 'resources', 'backbones', 'mobilenet-v2-0.35-imagenet');

/** A score job: a labelled training folder and a pool (null: score the training set itself, the label check). */
export interface Job {
  name: string;
  train: string;
  pool: string | null;
}

/** KERAS_PYTHON, else /work/kvenv/bin/python where it exists, else python3. */
export function colourPython(): string {
  if (process.env.KERAS_PYTHON) return process.env.KERAS_PYTHON;
  return existsSync('/work/kvenv/bin/python') ? '/work/kvenv/bin/python' : 'python3';
}

/** Why the peer cannot run here, or null when it can. */
export function colourPeerMissing(): string | null {
  if (!existsSync(COLOUR_PEER)) return `no peer script at ${COLOUR_PEER}`;
  if (!existsSync(path.join(backboneDir(), 'model.json'))) return `no backbone at ${backboneDir()}`;
  const r = spawnSync(colourPython(), ['-c', 'import tensorflow, PIL, numpy'], { stdio: 'ignore' });
  return r.status === 0 ? null : `${colourPython()} cannot import tensorflow, PIL and numpy (set KERAS_PYTHON)`;
}

export function backboneDir(): string {
  return existsSync(path.join(SHARED_BACKBONE, 'model.json')) ? SHARED_BACKBONE : SHIPPED_BACKBONE;
}

export async function runUnsure(job: Job, csv: string, home: string): Promise<RunResult> {
  const args = [path.join(root, 'bin', 'unsure.mjs'), 'score', '--train', job.train];
  if (job.pool) args.push('--pool', job.pool);
  args.push('--out', csv);
  return timedRun(process.execPath, args, { ...process.env, UNSURE_HOME: home, UNSURE_PROFILE: '1' });
}

export async function runPeer(job: Job, csv: string): Promise<RunResult> {
  const args = [COLOUR_PEER, backboneDir(), job.train, job.pool ?? job.train, csv];
  if (!job.pool) args.push('--labels-only');
  return timedRun(colourPython(), args, { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' });
}

export interface Stage {
  stage: string;
  wallSec: number;
  cores: number;
}

/** The stage table UNSURE_PROFILE=1 prints (stage, wall s, cpu s, cores), and the lines naming the backbone or head. */
export function unsureStages(stderr: string): { stages: Stage[]; notes: string[] } {
  const stages: Stage[] = [];
  const notes: string[] = [];
  // The last progress line with a rate, per task (e.g. a backbone's images/s while it embeds).
  const rates = new Map<string, string>();
  for (const line of stderr.split(/\r|\n/)) {
    const rate = /^\[\s*\d+%\]\s+([\w-]+):.*(img|images)\/s/.exec(line.trim());
    if (rate) rates.set(rate[1]!, line.trim());
    const m = /^(\S+:?\S*)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)$/.exec(line.trim());
    if (m) stages.push({ stage: m[1]!, wallSec: Number(m[2]), cores: Number(m[4]) });
    else if (/backbone|head|images\/s|img\/s.*feature|^model /i.test(line) && !/^\[/.test(line))
      notes.push(line.trim());
  }
  return { stages, notes: [...notes, ...rates.values()] };
}
