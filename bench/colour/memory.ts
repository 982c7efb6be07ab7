// `npm run bench -- colour-memory [--n 100000]`: issue 11's memory target. Generates n
// 224 x 224 colour JPEGs (seeded: gradients, flat shapes and a fine texture, drawn at 112 and
// upscaled, so they compress like photos; cached between runs), then runs `unsure score` on
// them twice with one UNSURE_HOME (a first open, cold, and a second open) and reports each
// run's peak RSS of the process tree (/proc polled every 200 ms, and the CLI's own maxRSS at
// exit) and wall time. Split: a tenth (10 classes, by colour family and shape) is the
// labelled training set, the rest the pool. Not part of npm test or `bench all`.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { makeRng } from '../../src/main/engine/model/rng.js';
import { formatTable } from '../machine.js';
import { runMeasuredCli } from '../score-memory.js';
import { benchCache } from './cache.js';
import { type Rgb, type Rng } from './synth.js';

const CLASSES = 10;

/** A photo-like 112 x 112 RGB image of class c: a gradient in the class's hue, shapes, texture. */
function photoLike(rng: Rng, c: number): Uint8Array {
  const w = 112;
  const px = new Uint8Array(w * w * 3);
  const hue = (c / CLASSES) * 2 * Math.PI;
  const tint = (shift: number, light: number): Rgb => [
    light * (0.5 + 0.5 * Math.cos(hue + shift)) * 255,
    light * (0.5 + 0.5 * Math.cos(hue + shift - 2.1)) * 255,
    light * (0.5 + 0.5 * Math.cos(hue + shift + 2.1)) * 255,
  ];
  const a = tint(rng() - 0.5, 0.4 + 0.6 * rng());
  const b = tint(rng() - 0.5, 0.4 + 0.6 * rng());
  const angle = rng() * 2 * Math.PI;
  const [dx, dy] = [Math.cos(angle) / w, Math.sin(angle) / w];
  const discs = c % 2 === 0;
  const shapes = Array.from({ length: 1 + Math.floor(rng() * 4) }, () => ({
    x: rng() * w,
    y: rng() * w,
    r: (0.08 + rng() * 0.25) * w,
    col: tint(Math.PI + rng(), 0.3 + 0.7 * rng()),
  }));
  for (let y = 0; y < w; y++)
    for (let x = 0; x < w; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + (x - w / 2) * dx + (y - w / 2) * dy));
      let col: Rgb = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
      for (const s of shapes)
        if (discs ? Math.hypot(x - s.x, y - s.y) <= s.r : Math.abs(x - s.x) <= s.r && Math.abs(y - s.y) <= s.r)
          col = s.col;
      const grain = (rng() - 0.5) * 24;
      const i = (y * w + x) * 3;
      for (let k = 0; k < 3; k++) px[i + k] = Math.max(0, Math.min(255, col[k]! + grain));
    }
  return px;
}

/** The n images as <dir>/train/c<k>/ (a tenth, labelled) and <dir>/pool/NNN/ (the rest); cached. */
async function generated(out: (s: string) => void, n: number, seed: number) {
  const dir = path.join(benchCache(), `colour-memory-${n}-s${seed}`);
  const nTrain = Math.max(CLASSES, Math.round(n / 10));
  const result = { dir, train: path.join(dir, 'train'), pool: path.join(dir, 'pool'), nTrain, nPool: n - nTrain };
  if (existsSync(path.join(dir, '.complete'))) return result;
  const tmp = `${dir}.building-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  for (let c = 0; c < CLASSES; c++) await mkdir(path.join(tmp, 'train', `c${c}`), { recursive: true });
  await mkdir(path.join(tmp, 'pool'), { recursive: true });
  const t0 = performance.now();
  let bytes = 0;
  const one = async (i: number) => {
    const rng = makeRng((seed * 1_000_003 + i) >>> 0);
    const c = i % CLASSES;
    const jpeg = await sharp(photoLike(rng, c), { raw: { width: 112, height: 112, channels: 3 } })
      .resize(224, 224, { kernel: 'cubic' })
      .jpeg({ quality: 85 })
      .toBuffer();
    bytes += jpeg.length;
    const name = `${String(i).padStart(6, '0')}.jpg`;
    await writeFile(path.join(tmp, i < nTrain ? path.join('train', `c${c}`) : 'pool', name), jpeg);
  };
  // Two at a time: sharp encodes on libuv's pool while the next image is drawn.
  for (let i = 0; i < n; i += 2) {
    await Promise.all([one(i), ...(i + 1 < n ? [one(i + 1)] : [])]);
    if (i % 10_000 === 0 && i > 0) out(`  generated ${i} / ${n} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  await writeFile(path.join(tmp, '.complete'), `${n} images, ${bytes} bytes\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  out(
    `generated ${n} JPEGs (${(bytes / 2 ** 20).toFixed(0)} MiB, ${((performance.now() - t0) / 1000).toFixed(0)} s) in ${dir}\n`,
  );
  return result;
}

interface OpenRun {
  peakBytes: number;
  wallSec: number;
  exitCode: number | null;
  etaLines: number;
  tail: string;
}

async function openOnce(train: string, pool: string, home: string, csv: string, rssFile: string): Promise<OpenRun> {
  const r = await runMeasuredCli(['score', '--train', train, '--pool', pool, '--out', csv], home, rssFile, 200);
  const code = r.exitCode;
  const lines = r.stderr.split(/\r|\n/).filter((l) => l.trim());
  return {
    peakBytes: r.peakBytes,
    wallSec: r.wallSec,
    exitCode: code,
    etaLines: lines.filter((l) => /open:.*ETA/.test(l)).length,
    tail: lines
      .filter((l) => (code === 0 ? /^(model|wrote)/.test(l) : true))
      .slice(-8)
      .join('\n'),
  };
}

export async function runColourMemory(out: (s: string) => void, opts: { n: number; seed: number }): Promise<void> {
  const g = await generated(out, opts.n, opts.seed);
  out(`training set ${g.nTrain} (${CLASSES} classes) in ${g.train}; pool ${g.nPool} in ${g.pool}\n`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'unsure-bench-colour-mem-'));
  try {
    const home = path.join(tmp, 'home');
    const runs: [string, OpenRun][] = [];
    for (const which of ['first open (cold)', 'second open']) {
      const r = await openOnce(g.train, g.pool, home, path.join(tmp, 'scores.csv'), path.join(tmp, 'rss.txt'));
      out(`${which}: exit ${r.exitCode}\n${r.tail}\n`);
      runs.push([which, r]);
    }
    out(
      formatTable([
        ['run', 'peak RSS (MiB)', 'wall (s)', 'open progress lines with an ETA', 'exit'],
        ...runs.map(([w, r]) => [w, r.peakBytes / 2 ** 20, r.wallSec, r.etaLines, r.exitCode ?? -1]),
      ]),
    );
    out(
      `(${opts.n} generated 224 x 224 JPEGs; target: under 4096 MiB resident, an ETA while opening, a fast second open)\n`,
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
