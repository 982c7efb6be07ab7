// Head experiments on the cached development features (extract.ts): for each configuration,
// accuracy on the 8 known classes, kNN (k = 10, cosine) OOD AUROC of held-out-class photos
// against known test photos (on the head's hidden layer and on the backbone rows), and label
// issues with 8% of training labels flipped (K-fold out-of-fold 1 - p(given) and in-sample).
// node --import tsx bench/colour-dev/heads.ts [group ...]   (groups: see CONFIGS)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tf } from '../../src/main/engine/model/tf.js';
import { trainHead, type HeadOptions } from '../../src/main/engine/model/head.js';
import type { HeadModel } from '../../src/main/engine/model/head-model.js';
import { makeRng } from '../../src/main/engine/model/rng.js';
import { FEATURE_CACHE, KNOWN } from './split.js';
import { auroc, precisionAtK, knnDistance, flipLabels } from './metrics.js';

export interface Config {
  name: string;
  size: number;
  /** Which blocks of the cached row: 0 = the 1280-d out_relu, 1.. = the taps in extract.ts order. */
  blocks: number[];
  head: Omit<HeadOptions, 'seed'>;
  /** Mirrored images in training: none, a random view per step, or the two rows averaged. */
  flipTrain: 'none' | 'views' | 'avg';
  /** Average the predictions (and kNN rows) of an image and its mirror. */
  tta: boolean;
  labels?: boolean;
}

const BASE: Omit<HeadOptions, 'seed'> = { epochs: 20, hidden: 128, dropout: 0.3, batch: 128, lr: 0.001 };

interface Part {
  x: Float32Array;
  xf: Float32Array;
  labels: Int32Array;
  n: number;
}

const cache = new Map<string, { dim: number; parts: Record<string, Part> }>();
function load(size: number, blocks: number[]): { dim: number; parts: Record<string, Part> } {
  const key = `${size}:${blocks.join()}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = path.join(FEATURE_CACHE, `s${size}`);
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { dims: number[] };
  const full = meta.dims.reduce((a, b) => a + b, 0);
  const offs = meta.dims.map((_, i) => meta.dims.slice(0, i).reduce((a, b) => a + b, 0));
  const dim = blocks.reduce((s, b) => s + meta.dims[b]!, 0);
  const pick = (file: string): Float32Array => {
    const buf = readFileSync(file);
    const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const n = all.length / full;
    const out = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      let o = i * dim;
      for (const b of blocks) {
        out.set(all.subarray(i * full + offs[b]!, i * full + offs[b]! + meta.dims[b]!), o);
        o += meta.dims[b]!;
      }
    }
    return out;
  };
  const parts: Record<string, Part> = {};
  for (const p of ['train', 'test', 'open']) {
    const { labels } = JSON.parse(readFileSync(path.join(dir, `${p}-labels.json`), 'utf8')) as { labels: number[] };
    parts[p] = {
      x: pick(path.join(dir, `${p}.f32`)),
      xf: existsSync(path.join(dir, `${p}-flip.f32`)) ? pick(path.join(dir, `${p}-flip.f32`)) : new Float32Array(0),
      labels: Int32Array.from(labels),
      n: labels.length,
    };
  }
  const r = { dim, parts };
  cache.set(key, r);
  return r;
}

function zscore(ref: Float32Array, dim: number): (x: Float32Array) => Float32Array {
  const n = ref.length / dim;
  const mu = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) {
      const v = ref[i * dim + j]!;
      mu[j]! += v / n;
      sq[j]! += (v * v) / n;
    }
  const sd = Float64Array.from(mu, (m, j) => Math.sqrt(Math.max(sq[j]! - m * m, 0)) + 1e-3);
  return (x) => x.map((v, i) => (v - mu[i % dim]!) / sd[i % dim]!);
}

const mean2 = (a: Float32Array, b: Float32Array): Float32Array => a.map((v, i) => (v + b[i]!) / 2);

function forward(h: HeadModel, x: Float32Array, dim: number): { p: Float32Array; hid: Float32Array } {
  return tf.tidy(() => {
    const pre = h.hiddenPre(tf.tensor2d(x, [x.length / dim, dim]));
    return {
      p: tf.softmax(h.logitsFrom(pre)).dataSync() as Float32Array,
      hid: tf.relu(pre).dataSync() as Float32Array,
    };
  });
}

async function fit(c: Config, dim: number, tr: Part, idx: Int32Array, labels: Int32Array, seed: number) {
  const features = c.flipTrain === 'avg' ? mean2(tr.x, tr.xf) : tr.x;
  const views = c.flipTrain === 'views' ? [tr.xf] : undefined;
  const t = performance.now();
  const h = await trainHead(
    { features, dim, indices: idx, labels, numClasses: KNOWN.length, views },
    { ...c.head, seed },
  );
  return { h, secs: (performance.now() - t) / 1000 };
}

function predictPart(
  c: Config,
  h: HeadModel,
  dim: number,
  p: Part,
): { p: Float32Array; hid: Float32Array; x: Float32Array } {
  if (!c.tta && c.flipTrain !== 'avg') return { ...forward(h, p.x, dim), x: p.x };
  if (c.flipTrain === 'avg') {
    const x = mean2(p.x, p.xf);
    return { ...forward(h, x, dim), x };
  }
  const a = forward(h, p.x, dim);
  const b = forward(h, p.xf, dim);
  return { p: mean2(a.p, b.p), hid: mean2(a.hid, b.hid), x: mean2(p.x, p.xf) };
}

const C = KNOWN.length;
function argmaxAcc(p: Float32Array, labels: Int32Array): number {
  let hit = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < C; k++) if (p[i * C + k]! > p[i * C + best]!) best = k;
    if (best === labels[i]) hit++;
  }
  return hit / labels.length;
}

export async function runConfig(c: Config): Promise<string> {
  const { dim, parts } = load(c.size, c.blocks);
  const { train, test, open } = parts as Record<'train' | 'test' | 'open', Part>;
  const all = Int32Array.from({ length: train.n }, (_, i) => i);
  const { h, secs } = await fit(c, dim, train, all, train.labels, 1);
  const pt = predictPart(c, h, dim, test);
  const po = predictPart(c, h, dim, open);
  const trRows = c.flipTrain === 'avg' || c.tta ? mean2(train.x, train.xf) : train.x;
  const trHid = forward(h, trRows, dim).hid;
  h.dispose();
  const acc = argmaxAcc(pt.p, test.labels);
  const isOpen = [...new Array(test.n).fill(0), ...new Array(open.n).fill(1)];
  const cat = (a: Float32Array, b: Float32Array) => Float32Array.from([...a, ...b]);
  const hidAuc = auroc(knnDistance(cat(pt.hid, po.hid), trHid, c.head.hidden, 10), isOpen);
  const inAuc = auroc(knnDistance(cat(pt.x, po.x), trRows, dim, 10), isOpen);
  // The same rows standardised with the training rows' mean and deviation (the head's first step).
  const z = zscore(trRows, dim);
  const zAuc = auroc(knnDistance(z(cat(pt.x, po.x)), z(trRows), dim, 10), isOpen);
  let lab = ' | |';
  if (c.labels) {
    const { noisy, flipped } = flipLabels(train.labels, C, 0.08, 20261201);
    const K = 5;
    const fold = Int32Array.from({ length: train.n }, () => 0);
    const rng = makeRng(5);
    const perm = Int32Array.from(all).sort(() => 0);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    perm.forEach((r, i) => (fold[r] = i % K));
    const oof = new Float64Array(train.n);
    for (let k = 0; k < K; k++) {
      const tr = all.filter((i) => fold[i] !== k);
      const ho = all.filter((i) => fold[i] === k);
      const { h: hk } = await fit(
        c,
        dim,
        train,
        tr,
        Int32Array.from(tr, (i) => noisy[i]!),
        10 + k,
      );
      const rows = (src: Float32Array) => {
        const out = new Float32Array(ho.length * dim);
        ho.forEach((r, j) => out.set(src.subarray(r * dim, (r + 1) * dim), j * dim));
        return out;
      };
      const sub: Part = { x: rows(train.x), xf: rows(train.xf), labels: new Int32Array(ho.length), n: ho.length };
      const pk = predictPart(c, hk, dim, sub).p;
      ho.forEach((r, j) => (oof[r] = 1 - pk[j * C + noisy[r]!]!));
      hk.dispose();
    }
    const { h: hin } = await fit(c, dim, train, all, noisy, 1);
    const pin = predictPart(c, hin, dim, train).p;
    hin.dispose();
    const ins = Float64Array.from(all, (i) => 1 - pin[i * C + noisy[i]!]!);
    lab = ` ${auroc(oof, flipped).toFixed(3)} / ${precisionAtK(oof, flipped).toFixed(3)} | ${auroc(ins, flipped).toFixed(3)} / ${precisionAtK(ins, flipped).toFixed(3)} |`;
  }
  return `| ${c.name} | ${c.size} | ${dim} | ${(acc * 100).toFixed(1)}% | ${hidAuc.toFixed(3)} | ${inAuc.toFixed(3)} / ${zAuc.toFixed(3)} |${lab} ${secs.toFixed(1)} s |`;
}

export const HEADER =
  '| config | size | dim | accuracy | kNN AUROC hidden | kNN AUROC backbone rows raw / standardised | label issues OOF K=5 AUROC / p@k | in-sample AUROC / p@k | head train |\n|---|---|---|---|---|---|---|---|---|';

const mk = (name: string, size: number, over: Partial<Config> = {}, head: Partial<HeadOptions> = {}): Config => ({
  name,
  size,
  blocks: [0],
  head: { ...BASE, ...head },
  flipTrain: 'none',
  tta: false,
  ...over,
});

export const CONFIGS: Record<string, (size: number) => Config[]> = {
  base: (s) => [mk('peer head (128, 20 ep)', s, { labels: true })],
  flip: (s) => [
    mk('flip views', s, { flipTrain: 'views' }),
    mk('flip avg rows', s, { flipTrain: 'avg' }),
    mk('flip views + TTA', s, { flipTrain: 'views', tta: true, labels: true }),
  ],
  width: (s) => [
    mk('hidden 256', s, {}, { hidden: 256 }),
    mk('hidden 512, 30 ep', s, {}, { hidden: 512, epochs: 30 }),
    mk('hidden 256, 40 ep', s, {}, { hidden: 256, epochs: 40 }),
    mk('10 ep', s, {}, { epochs: 10 }),
  ],
  reg: (s) => [
    mk('wd 0.05', s, {}, { weightDecay: 0.05 }),
    mk('ls 0.1', s, {}, { labelSmoothing: 0.1 }),
    mk('dropout 0.5', s, {}, { dropout: 0.5 }),
  ],
  size: (s) => [
    mk('peer head (128, 20 ep)', s),
    mk('+ all taps, 10 ep', s, { blocks: [0, 1, 2, 3, 4] }, { epochs: 10 }),
  ],
  flipTaps: (s) => [
    mk(
      '+ all taps, flip views + TTA, 10 ep',
      s,
      { blocks: [0, 1, 2, 3, 4], flipTrain: 'views', tta: true, labels: true },
      { epochs: 10 },
    ),
  ],
  taps10: (s) => [mk('+ all taps, 10 ep', s, { blocks: [0, 1, 2, 3, 4], labels: true }, { epochs: 10 })],
  tapsAvg: (s) => [
    mk(
      '+ all taps, flip avg rows, 10 ep',
      s,
      { blocks: [0, 1, 2, 3, 4], flipTrain: 'avg', labels: true },
      { epochs: 10 },
    ),
    mk('flip avg rows, 10 ep (kNN rows)', s, { flipTrain: 'avg' }, { epochs: 10 }),
  ],
  taps: (s) => [
    mk('+ block_13_expand', s, { blocks: [0, 1] }),
    mk('+ block_15_add', s, { blocks: [0, 3] }),
    mk('+ block_16_project', s, { blocks: [0, 4] }),
    mk('+ all taps', s, { blocks: [0, 1, 2, 3, 4] }),
  ],
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const sizes = (process.env.SIZES ?? '224').split(',').map(Number);
  console.log(HEADER);
  for (const size of sizes)
    for (const g of args.length ? args : Object.keys(CONFIGS))
      for (const c of CONFIGS[g]!(size)) console.log(await runConfig(c));
}
