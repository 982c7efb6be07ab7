// `npm run bench -- colour [--small] [--runs 3] [--holdout deer,truck] [--seed 42]`: the colour
// benchmark of issue 11 on CIFAR-10. Builds the datasets (build.ts), runs Unsure's CLI and the
// Keras peer on the same folders (jobs.ts), judges both CSVs (judge.ts) and prints them side
// by side with the targets (report.ts). The main job runs `runs` alternating cold
// pairs for its wall time (the median); the label and loop jobs run once each side.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RunResult } from '../peer.js';
import { buildColourSets } from './build.js';
import { judgeLabels, judgeLoop, judgePool, readScoreCsv } from './judge.js';
import { colourPeerMissing, colourPython, runPeer, runUnsure, unsureStages, type Job } from './jobs.js';
import { median } from '../machine.js';
import { printColourReport, type SideFigures } from './report.js';

export interface ColourOptions {
  holdout: string[];
  perClass: number;
  runs: number;
  seed: number;
  /** Leave the peer out (its figures at this scale already known, or no time for it). */
  noPeer?: boolean;
}

export const DEFAULT_HOLDOUT = ['deer', 'truck'];

export async function runColour(out: (s: string) => void, opts: ColourOptions): Promise<void> {
  const sets = await buildColourSets(out, { holdout: opts.holdout, perClass: opts.perClass, seed: opts.seed });
  const t = sets.truth;
  out(
    `known classes ${t.known.join(', ')}; held out ${t.holdout.join(', ')}; ${t.perClass} training photos per class; ` +
      `pool ${Object.keys(t.pool).length}; label set ${t.labelCount} (${Object.keys(t.flipped).length} flipped); ` +
      `loop: ${t.loopOther.length} distractors in other/\n`,
  );
  const missing = opts.noPeer ? '--no-peer' : colourPeerMissing();
  out(missing ? `Keras peer skipped: ${missing}\n` : `Keras peer: ${colourPython()}\n`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'unsure-bench-colour-'));
  try {
    let home = 0;
    // A side's failed job (or a CSV the judge refuses) costs its figures, not the others':
    // the harness must run end to end while the colour path is being built.
    const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | null> => {
      try {
        return await fn();
      } catch (err) {
        out(`  ${what} failed: ${(err as Error).message.split('\n').slice(0, 6).join('\n    ')}\n`);
        return null;
      }
    };
    const unsure = (job: Job, tag: string) =>
      attempt(`Unsure ${job.name} ${tag}`, async () => {
        const csv = path.join(tmp, `unsure-${job.name}-${tag}.csv`);
        const r = await runUnsure(job, csv, path.join(tmp, `home-${home++}`));
        out(`  Unsure ${job.name} ${tag}: ${r.wallSec.toFixed(1)} s\n`);
        return { csv, r };
      });
    const peer = (job: Job, tag: string) =>
      attempt(`Keras ${job.name} ${tag}`, async () => {
        const csv = path.join(tmp, `keras-${job.name}-${tag}.csv`);
        const r = await runPeer(job, csv);
        out(`  Keras  ${job.name} ${tag}: ${r.wallSec.toFixed(1)} s\n`);
        return { csv, r };
      });
    const main: Job = { name: 'main', train: sets.train, pool: sets.pool };
    const labels: Job = { name: 'labels', train: sets.labels, pool: null };
    const loop: Job = { name: 'loop', train: sets.loopTrain, pool: sets.loopPool };

    type Done = { csv: string; r: RunResult } | null;
    const uRuns: Done[] = [];
    const kRuns: Done[] = [];
    for (let i = 0; i < opts.runs; i++) {
      uRuns.push(await unsure(main, `run ${i + 1}`));
      if (!missing) kRuns.push(await peer(main, `run ${i + 1}`));
    }
    const uLabels = await unsure(labels, 'run 1');
    const uLoop = await unsure(loop, 'run 1');
    const kLabels = missing ? null : await peer(labels, 'run 1');
    const kLoop = missing ? null : await peer(loop, 'run 1');

    const figures = async (side: string, mainRuns: Done[], lab: Done, lp: Done): Promise<SideFigures> => {
      const ok = mainRuns.filter((x): x is NonNullable<Done> => x !== null);
      const judge = <T>(what: string, d: Done, fn: (csv: string) => Promise<T>) =>
        d ? attempt(`${side} ${what} judge`, () => fn(d.csv)) : Promise.resolve(null);
      return {
        pool: await judge('main', ok[0] ?? null, async (f) => judgePool(await readScoreCsv(f), t.pool, f)),
        labels: await judge('labels', lab, async (f) => judgeLabels(await readScoreCsv(f), t, f)),
        loop: await judge('loop', lp, async (f) => judgeLoop(await readScoreCsv(f), t, f)),
        walls: ok.map((x) => x.r.wallSec),
        wallSec: ok.length ? median(ok.map((x) => x.r.wallSec)) : Number.NaN,
        cores: ok.length ? median(ok.map((x) => x.r.cpuSec / x.r.wallSec)) : Number.NaN,
      };
    };
    const ours = await figures('Unsure', uRuns, uLabels, uLoop);
    const theirs = missing ? null : await figures('Keras', kRuns, kLabels, kLoop);
    const first = uRuns.find((x) => x !== null);
    printColourReport(out, {
      truth: t,
      ours,
      theirs,
      profile: first ? unsureStages(first.r.stderr) : { stages: [], notes: [] },
      runs: opts.runs,
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
