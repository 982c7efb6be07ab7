// Issue 10's timed job, beside the Keras peer: `unsure score --train <20,000 MNIST PNGs in
// class folders> --pool <3,300 PNGs> --out x.csv --epochs 3`, cold (a fresh UNSURE_HOME), with
// everything it computes by default, label check included; then keras_pipeline.py on the same
// folders. Alternating pairs, medians of the wall times, the cores each kept busy (CPU / wall)
// and, from UNSURE_PROFILE=1, Unsure's stages with theirs.
// `npm run bench -- cores [--runs 3]`
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mixedPool, mnistSlice, writePngs } from './fixtures.js';
import { formatTable, median } from './machine.js';
import { KERAS_SCRIPT, kerasPython, peerMissing, timedRun, unsureArgs, unsureCode, type RunResult } from './peer.js';
import { unsureStages, type Stage } from './colour/jobs.js';

export async function runCoresJob(out: (s: string) => void, runs = 3): Promise<void> {
  const missing = peerMissing();
  if (missing) out(`Keras peer skipped: ${missing}\n`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'unsure-bench-cores-'));
  try {
    const train = path.join(tmp, 'train');
    const digits = mnistSlice('train', 0, 20_000);
    const labels = digits.labels!;
    await writePngs(train, digits.pixels, (i) => String(labels[i]));
    const pool = path.join(tmp, 'pool');
    const mixed = mixedPool(3000, { missegmented: 100, scribble: 100, noise: 100 });
    await writePngs(pool, mixed.pixels, () => '.');
    out(`Wrote 20,000 training PNGs in class folders and a pool of 3,300 PNGs under ${tmp}\n`);
    out(`unsure score runs ${unsureCode('score')}\n`);
    const ours: RunResult[] = [];
    const theirs: RunResult[] = [];
    for (let run = 0; run < runs; run++) {
      const home = path.join(tmp, `home-${run}`);
      const args = unsureArgs(
        'score',
        '--train',
        train,
        '--pool',
        pool,
        '--out',
        path.join(tmp, 'unsure.csv'),
        '--epochs',
        '3',
      );
      ours.push(await timedRun(process.execPath, args, { ...process.env, UNSURE_HOME: home, UNSURE_PROFILE: '1' }));
      await rm(home, { recursive: true, force: true });
      out(`pair ${run + 1} of ${runs}: Unsure ${ours.at(-1)!.wallSec.toFixed(1)} s`);
      if (!missing) {
        theirs.push(await timedRun(kerasPython(), [KERAS_SCRIPT, train, pool, path.join(tmp, 'keras.csv'), '3']));
        out(`, Keras ${theirs.at(-1)!.wallSec.toFixed(1)} s`);
      }
      out('\n');
    }
    const wall = (rs: RunResult[]) => median(rs.map((r) => r.wallSec));
    const cores = (rs: RunResult[]) => median(rs.map((r) => r.cpuSec / r.wallSec));
    const rows: (string | number)[][] = [['measure', 'Unsure', 'Keras', 'target']];
    rows.push([`whole job, start to exit (s, median of ${runs})`, wall(ours), missing ? '-' : wall(theirs), '']);
    rows.push(['Unsure / Keras', missing ? '-' : wall(ours) / wall(theirs), '', '<= 0.5']);
    rows.push(['cores busy (CPU / wall, median)', cores(ours), missing ? '-' : cores(theirs), '2 of 2']);
    out(`\nThe timed job of issue 10 (20k PNG train, 3.3k PNG pool, 3 epochs, cold)\n${formatTable(rows)}`);
    // Stages of the run whose wall time is the median.
    const mid = [...ours].sort((a, b) => a.wallSec - b.wallSec)[Math.floor(ours.length / 2)]!;
    const stages: Stage[] = unsureStages(mid.stderr).stages;
    out(`\nUnsure's stages (UNSURE_PROFILE=1, the median run)\n`);
    out(formatTable([['stage', 'wall s', 'cores'], ...stages.map((s) => [s.stage, s.wallSec, s.cores])]));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
