import { imageAt, PIXELS_PER_IMAGE, type LoadedDataset, type Sample } from '../types.js';
import { itemAt } from '../../../shared/checked-index.js';
import { assembleDataset } from './assemble.js';
import { generateDistractors, type DemoDistractorKind } from './distractors.js';
import { loadFashionMnist } from './fashion.js';
import { readMnistRaw } from './mnist.js';
import { Rng } from './random.js';
import { sampleId } from './sample-id.js';

// "Digits in the wild": the built-in demo that reproduces the user's story. The model
// trains on clean MNIST; the review pool mixes MNIST test digits with what a real digit
// pipeline also feeds it: windows cut across two touching digits, scribbles, noise and
// clothes. Everything is deterministic from the seed and comes from installed packages.

export interface DemoOptions {
  seed?: number;
  /** First N MNIST training images (default all 60,000). */
  trainSize?: number;
  /** Review pool size (default 3,000). */
  poolSize?: number;
}

export type DemoOrigin = 'mnist' | DemoDistractorKind | 'fashion';

/** Share of the pool per origin; MNIST digits take what is left (about half). */
const POOL_MIX: Record<Exclude<DemoOrigin, 'mnist'>, number> = {
  missegmented: 0.15,
  scribble: 0.12,
  noise: 0.08,
  fashion: 0.15,
};

export const DEFAULT_DEMO_SEED = 1;
export const DEFAULT_POOL_SIZE = 3000;

export async function loadDemo(opts: DemoOptions = {}): Promise<{ train: LoadedDataset; pool: LoadedDataset }> {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const poolSize = opts.poolSize ?? DEFAULT_POOL_SIZE;
  const train = demoTrain(opts.trainSize);
  const pool = demoPool(poolSize, seed);
  return { train, pool };
}

function demoTrain(trainSize: number | undefined): LoadedDataset {
  const mnist = readMnistRaw('train');
  const count = Math.max(0, Math.min(trainSize ?? mnist.count, mnist.count));
  const pixels = new Uint8Array(mnist.pixels.subarray(0, count * PIXELS_PER_IMAGE));
  const rows: Sample[] = new Array(count);
  for (let n = 0; n < count; n++) {
    rows[n] = {
      id: sampleId(imageAt(pixels, n)),
      path: `demo/mnist-train/${n}.png`,
      label: String(mnist.labels[n]),
      file: null,
      origin: 'mnist',
    };
  }
  return assembleDataset('demo', '', rows, pixels);
}

/** Pool counts per origin: every distractor origin present whenever the pool has room. */
export function demoPoolCounts(poolSize: number): Record<DemoOrigin, number> {
  const counts = { mnist: 0, missegmented: 0, scribble: 0, noise: 0, fashion: 0 };
  let others = 0;
  for (const [origin, share] of Object.entries(POOL_MIX) as [keyof typeof POOL_MIX, number][]) {
    counts[origin] = poolSize >= 5 ? Math.max(1, Math.floor(poolSize * share)) : 0;
    others += counts[origin];
  }
  counts.mnist = poolSize - others;
  return counts;
}

function demoPool(poolSize: number, seed: number): LoadedDataset {
  const rng = new Rng(seed);
  const counts = demoPoolCounts(poolSize);
  const parts: {
    origin: DemoOrigin;
    pixels: Uint8Array;
    label: (i: number) => string | null;
    path: (i: number) => string;
  }[] = [];

  // MNIST test digits keep their true label, so label checks on the pool can be measured.
  const test = readMnistRaw('test');
  const picked = rng.sample(test.count, Math.min(counts.mnist, test.count));
  const mnistPixels = new Uint8Array(picked.length * PIXELS_PER_IMAGE);
  picked.forEach((src, i) => mnistPixels.set(imageAt(test.pixels, src), i * PIXELS_PER_IMAGE));
  const mnistLabels = Array.from(picked, (src) => String(itemAt(test.labels, src, 'MNIST test labels')));
  parts.push({
    origin: 'mnist',
    pixels: mnistPixels,
    label: (i) => itemAt(mnistLabels, i, 'demo MNIST labels'),
    path: (i) => `demo/mnist-test/${picked[i]}.png`,
  });

  for (const kind of ['missegmented', 'scribble', 'noise'] as const) {
    parts.push({
      origin: kind,
      pixels: generateDistractors(kind, counts[kind], rng.fork().int(2 ** 31)),
      label: () => null,
      path: (i) => `demo/${kind}/${i}.png`,
    });
  }
  parts.push({
    origin: 'fashion',
    pixels: loadFashionMnist(counts.fashion, rng.fork().int(2 ** 31)),
    label: () => null,
    path: (i) => `demo/fashion/${i}.png`,
  });

  const rows: { sample: Sample; pixels: Uint8Array }[] = [];
  for (const part of parts) {
    const count = part.pixels.length / PIXELS_PER_IMAGE;
    for (let i = 0; i < count; i++) {
      const px = imageAt(part.pixels, i);
      rows.push({
        sample: { id: sampleId(px), path: part.path(i), label: part.label(i), file: null, origin: part.origin },
        pixels: px,
      });
    }
  }
  // Interleave the origins, as they would arrive from a real pipeline.
  rng.shuffle(rows);
  const pixels = new Uint8Array(rows.length * PIXELS_PER_IMAGE);
  rows.forEach((r, i) => pixels.set(r.pixels, i * PIXELS_PER_IMAGE));
  return assembleDataset(
    'demo',
    '',
    rows.map((r) => r.sample),
    pixels,
  );
}
