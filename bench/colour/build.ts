// Builds the colour benchmark's datasets from CIFAR-10 as files (copies, not links: Unsure
// reads regular files only), with the truth the judge needs in truth.json:
//   train/<class>/      known classes x perClass training photos
//   pool/               known-class test photos + distractors of six kinds, opaque names
//   labels/<class>/     known classes x 0.6 perClass training photos, 8% of labels flipped
//   loop-train/         train/ + loop.other distractors (of every kind) in other/
//   loop-pool/          pool/ without those distractors
// Built into a temp folder and renamed, so a cached build is never half there.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { readMnistRaw } from '../../src/main/engine/datasets/index.js';
import { makeRng, shuffleInPlace } from '../../src/main/engine/model/rng.js';
import { benchCache, CIFAR_CLASSES, cifarDir, cifarFile } from './cache.js';
import { greyDigit, noise, pattern, shapes, straddle, type Rng } from './synth.js';
import type { Truth } from './truth.js';

export interface BuildOptions {
  holdout: string[];
  /** Training photos per known class (1000 for the task; --small 200). */
  perClass: number;
  seed: number;
}

/** The counts at perClass 1000; scaled with perClass. */
const FULL = { poolPerClass: 200, labelsPerClass: 600, flipShare: 0.08, loopOther: 150 };
const DISTRACTORS = { 'held-out': 250, straddle: 200, 'grey-digit': 175, pattern: 175, noise: 175, shapes: 175 };
export const NEAR_KINDS = ['held-out', 'straddle'];
export const FAR_KINDS = ['grey-digit', 'pattern', 'noise', 'shapes'];

export interface BuiltSets {
  dir: string;
  train: string;
  pool: string;
  labels: string;
  loopTrain: string;
  loopPool: string;
  truth: Truth;
}

export function knownClasses(holdout: string[]): string[] {
  for (const h of holdout)
    if (!(CIFAR_CLASSES as readonly string[]).includes(h))
      throw new Error(`--holdout: '${h}' is not a CIFAR-10 class (${CIFAR_CLASSES.join(', ')})`);
  if (holdout.length < 1 || holdout.length > 8) throw new Error('--holdout: name 1 to 8 classes');
  return CIFAR_CLASSES.filter((c) => !holdout.includes(c));
}

function sets(dir: string, truth: Truth): BuiltSets {
  const at = (s: string) => path.join(dir, s);
  return {
    dir,
    train: at('train'),
    pool: at('pool'),
    labels: at('labels'),
    loopTrain: at('loop-train'),
    loopPool: at('loop-pool'),
    truth,
  };
}

export async function buildColourSets(out: (s: string) => void, opts: BuildOptions): Promise<BuiltSets> {
  const known = knownClasses(opts.holdout);
  // v1: bump when what is built changes, so an old cache is never judged with new truth.
  const name = `colour-v1-${opts.holdout.join('+')}-${opts.perClass}-s${opts.seed}`;
  const dir = path.join(benchCache(), name);
  const truthFile = path.join(dir, 'truth.json');
  if (existsSync(truthFile)) {
    out(`datasets: ${dir} (cached)\n`);
    return sets(dir, JSON.parse(await readFile(truthFile, 'utf8')) as Truth);
  }
  const cifar = await cifarDir(out);
  const tmp = `${dir}.building-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  const truth = await writeSets(tmp, cifar, known, opts);
  await writeFile(path.join(tmp, 'truth.json'), JSON.stringify(truth));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  out(`datasets: built ${dir}\n`);
  return sets(dir, truth);
}

async function decodeRgb(file: string): Promise<Uint8Array> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== 32 || info.height !== 32 || info.channels !== 3)
    throw new Error(`${file}: expected a 32 x 32 RGB photo, got ${info.width} x ${info.height} x ${info.channels}`);
  return data;
}

function jpeg(px: Uint8Array, size: number): Promise<Buffer> {
  return sharp(px, { raw: { width: size, height: size, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function writeSets(dir: string, cifar: string, known: string[], opts: BuildOptions): Promise<Truth> {
  const scale = opts.perClass / 1000;
  const n = (full: number) => Math.max(1, Math.round(full * scale));
  const rng = makeRng(opts.seed);
  // train/ and loop-train/
  for (const c of known) {
    for (const d of ['train', 'loop-train']) await mkdir(path.join(dir, d, c), { recursive: true });
    for (let i = 0; i < opts.perClass; i++) {
      const src = cifarFile(cifar, 'train', c, i);
      for (const d of ['train', 'loop-train']) await copyFile(src, path.join(dir, d, c, `${c}-${i}.jpg`));
    }
  }
  // The pool's items, written under shuffled opaque names.
  type Item = { kind: string; cls: string | null; bytes: () => Promise<Buffer> };
  const items: Item[] = [];
  for (const c of known)
    for (let i = 0; i < n(FULL.poolPerClass); i++) {
      const f = cifarFile(cifar, 'test', c, i);
      items.push({ kind: 'known', cls: c, bytes: () => readFile(f) });
    }
  for (let k = 0; k < n(DISTRACTORS['held-out']); k++) {
    const c = opts.holdout[k % opts.holdout.length]!;
    const f = cifarFile(cifar, 'test', c, Math.floor(k / opts.holdout.length));
    items.push({ kind: 'held-out', cls: c, bytes: () => readFile(f) });
  }
  // Windows over two known-class test photos not in the pool (indices from 500 up).
  for (let k = 0; k < n(DISTRACTORS.straddle); k++) {
    const ca = known[Math.floor(rng() * known.length)]!;
    const cb = known[Math.floor(rng() * known.length)]!;
    const fa = cifarFile(cifar, 'test', ca, 500 + 2 * k);
    const fb = cifarFile(cifar, 'test', cb, 501 + 2 * k);
    const across = rng() < 0.5;
    items.push({
      kind: 'straddle',
      cls: null,
      bytes: async () => jpeg(straddle(await decodeRgb(fa), await decodeRgb(fb), 32, across), 32),
    });
  }
  const mnist = readMnistRaw('test');
  const synth = (kind: string, make: (r: Rng) => Uint8Array) => {
    for (let k = 0; k < n(DISTRACTORS[kind as keyof typeof DISTRACTORS]); k++) {
      const seed = Math.floor(rng() * 2 ** 31);
      items.push({ kind, cls: null, bytes: () => jpeg(make(makeRng(seed)), 32) });
    }
  };
  synth('grey-digit', (r) => {
    const i = Math.floor(r() * 10_000);
    return greyDigit(mnist.pixels.subarray(i * 784, (i + 1) * 784), 32);
  });
  synth('pattern', (r) => pattern(r, 32, 32));
  synth('noise', (r) => noise(r, 32, 32));
  synth('shapes', (r) => shapes(r, 32, 32));

  const order = shuffleInPlace(
    Array.from({ length: items.length }, (_, i) => i),
    rng,
  );
  const pool: Truth['pool'] = {};
  const distractors: string[] = [];
  await mkdir(path.join(dir, 'pool'), { recursive: true });
  for (let j = 0; j < order.length; j++) {
    const it = items[order[j]!]!;
    const file = `p${String(j).padStart(5, '0')}.jpg`;
    await writeFile(path.join(dir, 'pool', file), await it.bytes());
    pool[file] = { kind: it.kind, cls: it.cls };
    if (it.kind !== 'known') distractors.push(file);
  }
  // The loop: distractors drawn at random from every kind go to other/, the rest stay in the pool.
  const loopOther = shuffleInPlace(
    Array.from({ length: distractors.length }, (_, i) => i),
    rng,
  )
    .slice(0, n(FULL.loopOther))
    .map((i) => distractors[i]!);
  const marked = new Set(loopOther);
  await mkdir(path.join(dir, 'loop-train', 'other'), { recursive: true });
  await mkdir(path.join(dir, 'loop-pool'), { recursive: true });
  for (const file of Object.keys(pool))
    await copyFile(
      path.join(dir, 'pool', file),
      path.join(dir, marked.has(file) ? path.join('loop-train', 'other') : 'loop-pool', file),
    );
  // The label set: other training photos, 8% given another known class (a seeded draw).
  const labelFiles: { file: string; cls: string; src: string }[] = [];
  for (const c of known)
    for (let i = 0; i < n(FULL.labelsPerClass); i++)
      labelFiles.push({
        // Opaque names, so a name never tells a flipped file from the rest.
        file: `l${String(labelFiles.length).padStart(5, '0')}.jpg`,
        cls: c,
        src: cifarFile(cifar, 'train', c, opts.perClass + i),
      });
  const flipIdx = shuffleInPlace(
    Array.from({ length: labelFiles.length }, (_, i) => i),
    rng,
  ).slice(0, Math.round(FULL.flipShare * labelFiles.length));
  const flipped: Truth['flipped'] = {};
  for (const i of flipIdx) {
    const f = labelFiles[i]!;
    const others = known.filter((c) => c !== f.cls);
    flipped[f.file] = { truth: f.cls, given: others[Math.floor(rng() * others.length)]! };
  }
  for (const f of labelFiles) {
    const given = flipped[f.file]?.given ?? f.cls;
    await mkdir(path.join(dir, 'labels', given), { recursive: true });
    await copyFile(f.src, path.join(dir, 'labels', given, f.file));
  }
  return {
    holdout: opts.holdout,
    known,
    perClass: opts.perClass,
    seed: opts.seed,
    pool,
    flipped,
    labelCount: labelFiles.length,
    loopOther,
  };
}
