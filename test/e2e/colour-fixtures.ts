// A small colour photo dataset for the end-to-end tests, generated with sharp (no downloads):
// four classes of synthetic photos, each a class-specific colour and shape over a gradient
// with noise, mostly 48 x 40 with some 40 x 48 and 60 x 36 (aspect ratios differ), as JPEG
// and PNG; and a pool of the same kinds (PNG, JPEG, WebP and TIFF) plus distractors (grey
// noise, black-and-white bars).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

export interface ColourFixture {
  train: string;
  pool: string;
  classes: string[];
  /** Pool file name -> what it is (a class, or 'distractor'). */
  truth: Map<string, string>;
}

type Rgb = [number, number, number];
const CLASSES: { name: string; fg: Rgb; bg: Rgb; shape: 'disc' | 'square' | 'stripes' | 'cross' }[] = [
  { name: 'cherry', fg: [250, 240, 230], bg: [200, 20, 30], shape: 'disc' },
  { name: 'leaf', fg: [20, 60, 10], bg: [40, 190, 50], shape: 'stripes' },
  { name: 'sea', fg: [250, 220, 30], bg: [20, 60, 210], shape: 'square' },
  { name: 'plum', fg: [250, 150, 40], bg: [120, 30, 150], shape: 'cross' },
];
const SIZES: [number, number][] = [
  [48, 40],
  [48, 40],
  [40, 48],
  [60, 36],
];

/** Deterministic 0..1 values (a small LCG): the same fixture on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function inShape(shape: string, x: number, y: number, w: number, h: number, cx: number, cy: number, r: number) {
  const dx = x - cx;
  const dy = y - cy;
  if (shape === 'disc') return dx * dx + dy * dy < r * r;
  if (shape === 'square') return Math.abs(dx) < r && Math.abs(dy) < r;
  if (shape === 'cross')
    return (Math.abs(dx) < r / 3 && Math.abs(dy) < r) || (Math.abs(dy) < r / 3 && Math.abs(dx) < r);
  return Math.floor((y / h) * 8) % 2 === 0 && x >= 0 && x < w;
}

function photoPixels(k: number, seed: number): { data: Buffer; width: number; height: number } {
  const c = CLASSES[k]!;
  const [width, height] = SIZES[seed % SIZES.length]!;
  const r = rng(seed * 97 + k * 7919);
  const cx = width * (0.3 + 0.4 * r());
  const cy = height * (0.3 + 0.4 * r());
  const rad = Math.min(width, height) * (0.2 + 0.1 * r());
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const shade = 0.75 + 0.35 * (x / width) - 0.1 * (y / height);
      const col = inShape(c.shape, x, y, width, height, cx, cy, rad) ? c.fg : c.bg.map((v) => v * shade);
      for (let ch = 0; ch < 3; ch++)
        data[(y * width + x) * 3 + ch] = Math.max(0, Math.min(255, Math.round(col[ch]! + (r() - 0.5) * 40)));
    }
  return { data, width, height };
}

function distractorPixels(seed: number): { data: Buffer; width: number; height: number } {
  const [width, height] = SIZES[seed % SIZES.length]!;
  const r = rng(seed * 31 + 5);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = seed % 2 === 0 ? Math.round(r() * 255) : Math.floor(x / (2 + seed)) % 2 === 0 ? 235 : 15;
      data.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  return { data, width, height };
}

async function write(file: string, px: { data: Buffer; width: number; height: number }): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const img = sharp(px.data, { raw: { width: px.width, height: px.height, channels: 3 } });
  const ext = path.extname(file);
  const encoded = ext === '.png' ? img.png() : ext === '.webp' ? img.webp() : ext === '.tif' ? img.tiff() : img.jpeg();
  fs.writeFileSync(file, await encoded.toBuffer());
}

export async function makeColourFixture(
  dir: string,
  opts: { perClass: number; poolPerClass: number; poolDistractors: number },
): Promise<ColourFixture> {
  const train = path.join(dir, 'train');
  const pool = path.join(dir, 'pool');
  const truth = new Map<string, string>();
  for (let k = 0; k < CLASSES.length; k++) {
    const name = CLASSES[k]!.name;
    for (let i = 0; i < opts.perClass; i++)
      await write(path.join(train, name, `${name}-${i}.${i % 3 === 0 ? 'png' : 'jpg'}`), photoPixels(k, i));
    for (let i = 0; i < opts.poolPerClass; i++) {
      const file = `${name}-p${i}.${['png', 'jpg', 'webp', 'tif'][i % 4]}`;
      await write(path.join(pool, file), photoPixels(k, 10_000 + i));
      truth.set(file, name);
    }
  }
  for (let i = 0; i < opts.poolDistractors; i++) {
    const file = `odd-${i}.png`;
    await write(path.join(pool, file), distractorPixels(i));
    truth.set(file, 'distractor');
  }
  return { train, pool, classes: CLASSES.map((c) => c.name).sort(), truth };
}
