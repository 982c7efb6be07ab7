// First launch of the built-in demo, as a user meets it: `unsure serve` with a fresh
// UNSURE_HOME (no project folder, no cached model or scores; only what ships in the
// repository, such as resources/demo-model), Chromium opening the printed URL, and the clock
// stopped when the first queue tile shows a painted image. Also reported: when the server
// printed its URL, when the page first showed the queue, and when every sample's scores
// were in (the training samples are scored in the background after the pool is ranked).
//   node --import tsx bench/first-launch.ts [--runs 3]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/e2e/browser.js';
import { callApi, startServer } from '../test/e2e/server.js';
import { formatTable, median, printMachine } from './machine.js';
import type { ProjectInfo, Queue } from '../src/shared/api.js';

/**
 * CPU seconds (user + system, every thread: the engine worker is a thread) used so far by
 * this process's `unsure serve` children. On a machine shared with other work the wall
 * clock says little; CPU time divided by the cores bounds what an idle machine would take.
 */
function serverCpuSec(): number {
  let total = 0;
  const pids = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('unsure.mjs serve'))
    .map((l) => l.trim().split(/\s+/)[0]!);
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 Hz).
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // Not on Linux, or the process just exited: no CPU figure.
      return Number.NaN;
    }
  }
  return pids.length ? total : Number.NaN;
}

interface Run {
  /** Server CPU seconds when the first tile was painted. */
  cpuAtTileSec: number;
  urlSec: number;
  /** When the server's status first read 'training' (dataset open), 'scoring' (model ready), 'ready'. */
  statusSec: Record<'training' | 'scoring' | 'ready', number>;
  tileSec: number;
  fullQueueSec: number;
  queueLength: number;
  total: number;
  shipped: boolean;
  /** The engine's own log lines (why a shipped model was not used, etc.). */
  engineLog: string[];
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function oneRun(browser: Browser, home: string): Promise<Run> {
  const t0 = performance.now();
  const sec = () => (performance.now() - t0) / 1000;
  const server = await startServer({ home });
  try {
    const urlSec = sec();
    // The server's own milestones, polled from a bystander (cheap: getProject is a read).
    const statusSec = { training: Number.NaN, scoring: Number.NaN, ready: Number.NaN };
    let polling = true;
    const poll = (async () => {
      while (polling && Number.isNaN(statusSec.ready)) {
        const info = await callApi<ProjectInfo>(server, 'getProject').catch(() => null);
        const st = info?.status;
        if (st === 'training' || st === 'scoring' || st === 'ready') {
          if (Number.isNaN(statusSec[st])) statusSec[st] = sec();
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url);
    // The first tile is on screen and its image decoded and laid out.
    const first = page.getByRole('listbox', { name: 'Review queue' }).getByRole('option').first();
    await first.waitFor({ state: 'visible', timeout: 300_000 });
    // The first tile's thumbnail (a slice of a sheet image, styles/grid.css .tile-img) decoded and
    // painted. A string: this file is type-checked without the DOM library, and page.evaluate
    // (unlike a string waitForFunction) is not subject to the page's CSP.
    await page.evaluate(`(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      for (;;) {
        const tile = document.querySelector('[role="listbox"][aria-label="Review queue"] .tile-img');
        const url = tile && getComputedStyle(tile).backgroundImage.replace(/^url\\("?|"?\\)$/g, '');
        if (url && url !== 'none') {
          const img = new Image();
          img.src = url;
          await img.decode();
          await frame();
          return;
        }
        await frame();
      }
    })()`);
    const tileSec = sec();
    const cpuAtTileSec = serverCpuSec();
    const firstQueue = await callApi<Queue>(server, 'getQueue');
    const info = await callApi<ProjectInfo>(server, 'getProject');
    const total = info.counts.train + info.counts.pool;
    // Every sample scored: the queue holds them all.
    let fullQueueSec = Number.NaN;
    for (const until = Date.now() + 300_000; Date.now() < until;) {
      const q = await callApi<Queue | null>(server, 'getQueue');
      if (q && q.order.length === total) {
        fullQueueSec = sec();
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await context.close();
    polling = false;
    await poll;
    return {
      cpuAtTileSec,
      urlSec,
      statusSec,
      tileSec,
      fullQueueSec,
      queueLength: firstQueue.order.length,
      total,
      shipped: /using the shipped demo model/.test(server.output()),
      engineLog: server
        .output()
        .split('\n')
        .filter((l) => l.startsWith('unsure engine:')),
    };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const runs = arg('--runs', 3);
  printMachine();
  // Untimed: builds the renderer if its sources changed (serve does that before printing
  // its URL) and warms the OS file cache, as a second launch after install would find it.
  const warmHome = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-first-launch-warm-'));
  const warm = await startServer({ home: warmHome });
  await warm.stop();
  fs.rmSync(warmHome, { recursive: true, force: true });
  // The user's browser is already running: Chromium's own start is not the app's.
  const browser = await launchChromium();
  const results: Run[] = [];
  const seconds: Run[] = [];
  const line = (what: string, r: number, run: Run) =>
    process.stdout.write(
      `${what} ${r + 1}: URL ${run.urlSec.toFixed(2)} s, first tile painted ${run.tileSec.toFixed(2)} s ` +
        `(${run.queueLength} samples ranked; server CPU ${run.cpuAtTileSec.toFixed(1)} s), all ${run.total} scored ${run.fullQueueSec.toFixed(2)} s, ` +
        `shipped model ${run.shipped ? 'used' : 'NOT used'}\n` +
        (run.shipped ? '' : `  why: ${run.engineLog.join(' / ') || 'no engine note'}\n`),
    );
  try {
    for (let r = 0; r < runs; r++) {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-first-launch-'));
      try {
        const run = await oneRun(browser, home);
        results.push(run);
        line('first launch', r, run);
        // The same home again: the project folder now has the scores of this model.
        const again = await oneRun(browser, home);
        seconds.push(again);
        line('second launch', r, again);
      } finally {
        fs.rmSync(home, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write('\nFirst launch of the demo (seconds from spawning `unsure serve`, median of ' + runs + ')\n');
  process.stdout.write(
    formatTable([
      ['milestone', 'median s', 'min s', 'max s'],
      ...(
        [
          ['server printed its URL', results.map((r) => r.urlSec)],
          ['demo opened (status training)', results.map((r) => r.statusSec.training)],
          ['model ready (status scoring)', results.map((r) => r.statusSec.scoring)],
          ['pool ranked (status ready)', results.map((r) => r.statusSec.ready)],
          ['first queue tile painted', results.map((r) => r.tileSec)],
          ['every sample scored (background)', results.map((r) => r.fullQueueSec)],
          ['server CPU s until the first tile', results.map((r) => r.cpuAtTileSec)],
          ['second launch: first tile painted', seconds.map((r) => r.tileSec)],
        ] as const
      ).map(([name, all]) => {
        // A milestone the 50 ms poll missed (a status that lasted less) is left out.
        const xs = all.filter((x) => Number.isFinite(x));
        return [name, median(xs), Math.min(...xs), Math.max(...xs)];
      }),
    ]),
  );
}

await main();
