// The quality layout both bench/quality.ts and the score rounds use: the first trainSize
// MNIST training digits (labeled), the 10,000 MNIST test digits, then perKind images of each
// distractor kind in the order given (unlabeled), with ids q0, q1, ...
import { generateDistractors, loadFashionMnist, readMnistRaw } from '../src/main/engine/datasets/index.js';
import { buildScoreTable, type ScoreResult } from '../src/main/engine/pipeline/score-table.js';
import { trainModel } from '../src/main/engine/pipeline/train-model.js';
import { PIXELS_PER_IMAGE } from '../src/main/engine/types.js';
import { makeRng } from '../src/main/engine/model/rng.js';

/** MNIST's classes. */
export const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * 5% of the digit labels flipped, each to a different digit at random (seeded): the label-issue
 * figures of bench/quality.ts and bench/label-sizes.ts. Returns the noisy labels and which flipped.
 */
export function flipFivePercent(labels: readonly number[], seed: number): { noisy: number[]; flipped: Uint8Array } {
  const n = labels.length;
  const rng = makeRng(seed ^ 0xf1f1);
  const noisy = labels.slice();
  const flipped = new Uint8Array(n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < Math.round(0.05 * n); i++) {
    const j = i + Math.floor(rng() * (n - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
    const idx = order[i]!; // i < 5% of n = order.length
    noisy[idx] = (labels[idx]! + 1 + Math.floor(rng() * 9)) % 10;
    flipped[idx] = 1;
  }
  return { noisy, flipped };
}

export interface QualityLayout {
  pixels: Uint8Array;
  labels: (string | null)[];
  ids: string[];
  nTrain: number;
  test: ReturnType<typeof readMnistRaw>;
}

export function qualityLayout(
  trainSize: number,
  kinds: readonly string[],
  perKind: number,
  seed: number,
): QualityLayout {
  const train = readMnistRaw('train');
  const test = readMnistRaw('test');
  const nTrain = Math.min(trainSize, train.count);
  const parts: Uint8Array[] = [train.pixels.subarray(0, nTrain * PIXELS_PER_IMAGE), test.pixels];
  for (const kind of kinds)
    parts.push(
      kind === 'fashion' ? loadFashionMnist(perKind, seed) : generateDistractors(kind as never, perKind, seed),
    );
  const total = parts.reduce((s, p) => s + p.length, 0) / PIXELS_PER_IMAGE;
  const pixels = new Uint8Array(total * PIXELS_PER_IMAGE);
  let off = 0;
  for (const p of parts) {
    pixels.set(p, off);
    off += p.length;
  }
  const labels: (string | null)[] = new Array(total).fill(null);
  for (let i = 0; i < nTrain; i++) labels[i] = String(train.labels[i]);
  const ids = Array.from({ length: total }, (_, i) => `q${i}`);
  return { pixels, labels, ids, nTrain, test };
}

export interface LayoutRun {
  result: ScoreResult;
  trainIndices: Int32Array;
  heldOutIndices: Int32Array;
  heldOutAccuracy: number;
  /** On the 10,000 MNIST test digits. */
  testAccuracy: number;
  trainSec: number;
}

/** Trains cold on the layout's labeled digits (no project folder) and scores every row. */
export async function trainAndScore(layout: QualityLayout, epochs: number, seed: number): Promise<LayoutRun> {
  const { pixels, labels, ids, nTrain, test } = layout;
  const t0 = performance.now();
  const m = await trainModel(
    { ids, inputs: pixels, labels, knownClasses: DIGITS, epochs, seed, projectDir: null },
    () => {},
  );
  const trainSec = (performance.now() - t0) / 1000;
  const result = await buildScoreTable({
    classifier: m.classifier,
    inputs: pixels,
    labels,
    trainIndices: m.trainIndices,
    heldOutIndices: m.heldOutIndices,
    modelVersion: m.modelVersion,
  });
  m.classifier.dispose();
  let correct = 0;
  for (let i = 0; i < test.count; i++) if (result.table.predicted[nTrain + i] === test.labels[i]) correct++;
  return {
    result,
    trainIndices: m.trainIndices,
    heldOutIndices: m.heldOutIndices,
    heldOutAccuracy: m.heldOutAccuracy,
    testAccuracy: correct / test.count,
    trainSec,
  };
}
