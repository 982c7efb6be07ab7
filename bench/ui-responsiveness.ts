// UI responsiveness against the real app: `unsure serve` on a real 101,000-sample project
// (bench/ui-dataset.ts), driven by Playwright in Debian's Chromium.
//   1. decision key -> next sample painted in the detail panel (median, p95; target p95 <= 50 ms)
//   2. frame intervals while the 100,000-tile grid scrolls (mean, p95; target p95 <= 20 ms)
// Run: node --import tsx bench/ui-responsiveness.ts [--presses N] [--only presses|scroll] [--url URL] [--profile]
//   (or `npm run bench -- ui`). --url measures an already running server instead of starting one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { Queue } from '../src/shared/api.js';
import { launchChromium } from '../test/e2e/browser.js';
import { callApi, startServer, waitReady, type StartedServer } from '../test/e2e/server.js';
import { openApp, waitForQueue } from '../test/e2e/ui.js';
import { formatTable, printMachine } from './machine.js';
import { ensureUiDataset } from './ui-dataset.js';
import { PROBE_SOURCE } from './ui-probes.js';
import { followEvents, waitSettled } from './ui-settle.js';

export interface UiOptions {
  presses?: number;
  /** An already running server's URL (with its token); otherwise one is started. */
  url?: string;
  /** Also print the long animation frames and the scripts that ran in them. */
  profile?: boolean;
  /** Run one part only. */
  only?: 'presses' | 'scroll';
}

interface PressTiming {
  /** Keydown to the detail panel naming the next sample (the decision saved, React committed). */
  idMs: number;
  imageMs: number;
  detailMs: number;
}

export interface UiResult {
  samples: number;
  press: { id: Stats; image: Stats; detail: Stats; keys: string; main: MainThread } | null;
  scroll: { name: string; stats: Stats; main: MainThread }[];
}

/** The renderer main thread's CPU time over a phase (CDP Performance metrics, thread ticks), per second of wall time. */
export interface MainThread {
  wallSec: number;
  busyPct: number;
  scriptPct: number;
  layoutStylePct: number;
  longFrames: LongFrame[];
  /** Sample images the page requested meanwhile. */
  imageRequests: number;
}

interface LongFrame {
  duration: number;
  blocking: number;
  render: number;
  styleLayout: number;
  scripts: { duration: number; invoker: string; fn: string; src: string; layout: number }[];
}

type Metrics = Record<string, number>;

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const r = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
}

/** Runs `phase` and reports how busy the page's main thread was meanwhile, and its long frames. */
async function watched<T>(page: Page, cdp: CDPSession, phase: () => Promise<T>): Promise<[T, MainThread]> {
  await page.evaluate('window.__unsureProbe.takeLongFrames()');
  const requestsBefore = (await page.evaluate('window.__unsureProbe.mediaRequests()')) as number;
  const a = await metrics(cdp);
  const t0 = performance.now();
  const r = await phase();
  const wallSec = (performance.now() - t0) / 1000;
  const b = await metrics(cdp);
  const d = (k: string) => (((b[k] ?? 0) - (a[k] ?? 0)) / wallSec) * 100;
  const longFrames = (await page.evaluate('window.__unsureProbe.takeLongFrames()')) as LongFrame[];
  const imageRequests = ((await page.evaluate('window.__unsureProbe.mediaRequests()')) as number) - requestsBefore;
  return [
    r,
    {
      wallSec,
      busyPct: d('TaskDuration'),
      scriptPct: d('ScriptDuration'),
      layoutStylePct: d('LayoutDuration') + d('RecalcStyleDuration'),
      longFrames,
      imageRequests,
    },
  ];
}

/** The scripts that ran in long frames, summed by where they come from (the app's own code or not). */
function longFrameReport(name: string, m: MainThread): string {
  const lf = m.longFrames;
  if (lf.length === 0) return `  ${name}: no long animation frames (> 50 ms)\n`;
  const total = lf.reduce((a, f) => a + f.duration, 0);
  const byScript = new Map<string, number>();
  let scriptMs = 0;
  let styleLayout = 0;
  for (const f of lf) {
    styleLayout += f.styleLayout;
    for (const s of f.scripts) {
      const k = `${s.invoker} ${s.fn || '(anonymous)'} @ ${s.src}`;
      byScript.set(k, (byScript.get(k) ?? 0) + s.duration);
      scriptMs += s.duration;
    }
  }
  const top = [...byScript.entries()].sort((x, y) => y[1] - x[1]).slice(0, 6);
  return (
    `  ${name}: ${lf.length} long frames, ${total.toFixed(0)} ms in all: scripts ${scriptMs.toFixed(0)} ms, ` +
    `style+layout+paint ${styleLayout.toFixed(0)} ms, the rest waiting for the CPU or the compositor\n` +
    top.map(([k, v]) => `      ${v.toFixed(0).padStart(6)} ms  ${k}\n`).join('')
  );
}

export interface Stats {
  n: number;
  mean: number;
  median: number;
  p95: number;
  max: number;
}

export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return {
    n: s.length,
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
    median: q(0.5),
    p95: q(0.95),
    max: s[s.length - 1] ?? NaN,
  };
}

const out = (s: string) => process.stdout.write(s);

/** Presses decision keys one at a time, at a reviewer's pace, timing each to the next sample painted. */
async function measurePresses(page: Page, presses: number, keys: string[]): Promise<PressTiming[]> {
  const timings: PressTiming[] = [];
  for (let i = 0; i < presses; i++) {
    await page.evaluate('window.__unsureProbe.armPress()');
    await page.keyboard.press(keys[i % keys.length]!);
    const r = (await page.evaluate('window.__unsureProbe.pressResult(10000)')) as PressTiming;
    timings.push(r);
    // A reviewer reads the sample before deciding; this also lets the journal sync run between presses.
    await page.waitForTimeout(120);
  }
  return timings;
}

interface ScrollCase {
  name: string;
  run: (page: Page) => Promise<number[]>;
}

const CELL_H = 134; // TILE_H + GAP in QueueGrid.tsx: only used to express speeds in rows/s.

function scrollCases(): ScrollCase[] {
  const byFrame = (pxPerFrame: number, frames: number) => async (page: Page) => {
    const r = (await page.evaluate(`window.__unsureProbe.scrollRun(${pxPerFrame}, ${frames})`)) as {
      intervals: number[];
    };
    return r.intervals;
  };
  const wheel = (deltaY: number, everyMs: number, ms: number) => async (page: Page) => {
    const log = page.evaluate(`window.__unsureProbe.frameLog(${ms})`) as Promise<{ intervals: number[] }>;
    const end = Date.now() + ms - 50;
    while (Date.now() < end) {
      await page.mouse.wheel(0, deltaY);
      await new Promise((r) => setTimeout(r, everyMs));
    }
    return (await log).intervals;
  };
  const idle = (ms: number) => async (page: Page) =>
    ((await page.evaluate(`window.__unsureProbe.frameLog(${ms})`)) as { intervals: number[] }).intervals;
  return [
    // What this machine gives any page right now: frames missed here are not the app's.
    { name: 'baseline: no scrolling, page idle (3 s)', run: idle(3000) },
    { name: `scrollTop +${CELL_H / 4} px/frame (~15 rows/s, reading)`, run: byFrame(CELL_H / 4, 300) },
    { name: `scrollTop +${CELL_H * 2} px/frame (~120 rows/s, fast)`, run: byFrame(CELL_H * 2, 300) },
    { name: `scrollTop +${CELL_H * 20} px/frame (~1200 rows/s, fling)`, run: byFrame(CELL_H * 20, 300) },
    { name: 'mouse wheel, 100 px every 16 ms (5 s)', run: wheel(100, 16, 5000) },
    { name: 'mouse wheel, 400 px every 16 ms (5 s)', run: wheel(400, 16, 5000) },
  ];
}

export async function runUiResponsiveness(write: (s: string) => void = out, opts: UiOptions = {}): Promise<UiResult> {
  const presses = opts.presses ?? 250;
  let server: StartedServer | null = null;
  let home: string | null = null;
  let browser: Browser | null = null;
  try {
    if (opts.url) {
      const u = new URL(opts.url);
      server = {
        url: opts.url,
        origin: u.origin,
        token: u.searchParams.get('token') ?? '',
        output: () => '',
        stop: async () => {},
      };
    } else {
      const data = ensureUiDataset(write);
      home = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-bench-ui-home-'));
      write(
        `dataset: ${data.trainCount} training (IDX, labeled) + ${data.poolCount} pool (IDX, unlabeled) in ${path.dirname(data.train)}\n`,
      );
      const t0 = performance.now();
      server = await startServer({ train: data.train, pool: data.pool, home });
      const follow = followEvents(server);
      try {
        await waitReady(server, 900_000);
        const ready = (performance.now() - t0) / 1000;
        const s = await waitSettled(server, follow.events, 100_000);
        write(
          `server: first ranking on screen after ${ready.toFixed(1)} s, all ${s.samples} samples ranked after ` +
            `${(ready + s.fullQueueSec).toFixed(1)} s` +
            (s.labelCheckSec === null
              ? ''
              : `, background label check done after ${(ready + s.labelCheckSec).toFixed(1)} s`) +
            ' (measuring starts now)\n',
        );
      } finally {
        follow.close();
      }
    }
    const queue = await callApi<Queue | null>(server, 'getQueue');
    if (!queue) throw new Error('the server has no queue');
    if (queue.order.length < 100_000)
      throw new Error(`the queue holds ${queue.order.length} samples, fewer than 100,000`);

    browser = await launchChromium();
    write(`browser: Chromium ${browser.version()} (headless, --disable-gpu), viewport 1440x900\n`);
    const app = await openApp(browser, server);
    const { page } = app;
    await waitForQueue(page);
    await page.evaluate(PROBE_SOURCE);
    const cdp = await page.context().newCDPSession(page);
    // Thread time, not wall time: on a shared machine the main thread may wait for a CPU, and
    // that is not the app's work.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    write(`queue: ${queue.order.length} samples on screen\n\n`);

    // Start from the top of the queue, the grid focused as after a click.
    const first = page.getByRole('listbox', { name: 'Review queue' }).getByRole('option').first();
    await first.click();
    await page.waitForTimeout(500);

    // Skip, accept the prediction, relabel as '3': each decides and moves on, and none needs a
    // given label (keep, 'a', does nothing on the unlabeled pool).
    const keys = ['s', 'Enter', '3'];
    let press: UiResult['press'] | null = null;
    if (opts.only !== 'scroll') {
      // A few unmeasured presses first: the first ones pay for lazily compiled code paths.
      await measurePresses(page, 5, keys);
      const [timings, pressMain] = await watched(page, cdp, () => measurePresses(page, presses, keys));
      press = {
        id: stats(timings.map((t) => t.idMs)),
        image: stats(timings.map((t) => t.imageMs)),
        detail: stats(timings.map((t) => t.detailMs)),
        keys: keys.join(','),
        main: pressMain,
      };
    }

    const scroll: UiResult['scroll'] = [];
    for (const c of opts.only === 'presses' ? [] : scrollCases()) {
      await page.evaluate(`document.querySelector('[role="listbox"][aria-label="Review queue"]').scrollTop = 0`);
      await page.waitForTimeout(300);
      const [intervals, main] = await watched(page, cdp, () => c.run(page));
      scroll.push({ name: c.name, stats: stats(intervals), main });
    }
    const errors = app.errors.filter((e) => !/favicon/.test(e));
    if (errors.length > 0) write(`page errors during the run:\n  ${errors.join('\n  ')}\n\n`);

    const r: UiResult = { samples: queue.order.length, press, scroll };
    if (press) {
      write(
        formatTable([
          ['key press -> next sample painted (ms)', 'n', 'median', 'p95', 'max', 'target'],
          [
            'next sample named in the panel (decision saved)',
            press.id.n,
            press.id.median,
            press.id.p95,
            press.id.max,
            '',
          ],
          [
            `detail image painted (keys ${press.keys})`,
            press.image.n,
            press.image.median,
            press.image.p95,
            press.image.max,
            'p95 <= 50',
          ],
          [
            'full detail painted (probabilities, scores)',
            press.detail.n,
            press.detail.median,
            press.detail.p95,
            press.detail.max,
            '',
          ],
        ]),
      );
      write('\n');
    }
    if (scroll.length > 0) {
      write(
        formatTable([
          [`frame interval while scrolling ${queue.order.length} tiles (ms)`, 'frames', 'mean', 'p95', 'max', 'target'],
          ...scroll.map((s) => [
            s.name,
            s.stats.n,
            s.stats.mean,
            s.stats.p95,
            s.stats.max,
            s.name.startsWith('baseline') ? '' : 'p95 <= 20',
          ]),
        ]),
      );
      write('\n');
    }
    const phases = [...(press ? [{ name: 'key presses', main: press.main }] : []), ...scroll];
    write(
      formatTable([
        ['page main thread CPU (% of wall time)', 'busy', 'script', 'style+layout', 'images fetched'],
        ...phases.map((s) => [s.name, s.main.busyPct, s.main.scriptPct, s.main.layoutStylePct, s.main.imageRequests]),
      ]),
    );
    if (opts.profile) {
      write('\nLong animation frames (where the time went)\n');
      for (const s of phases) write(longFrameReport(s.name, s.main));
    }
    return r;
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    if (home) fs.rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      presses: { type: 'string' },
      url: { type: 'string' },
      profile: { type: 'boolean' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const presses = values.presses === undefined ? undefined : Number(values.presses);
  if (presses !== undefined && (!Number.isInteger(presses) || presses < 1)) {
    throw new Error(`--presses must be a positive integer, got ${values.presses}`);
  }
  const only = values.only;
  if (only !== undefined && only !== 'presses' && only !== 'scroll') {
    throw new Error(`--only must be presses or scroll, got ${only}`);
  }
  printMachine(out);
  await runUiResponsiveness(out, { presses, url: values.url, profile: values.profile === true, only });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`ui-responsiveness: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
