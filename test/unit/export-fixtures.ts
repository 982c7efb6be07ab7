// Real data for the export tests: PNG files on disk, pixels, journal entries folded by the
// real foldJournal, and a score table filled with known values.
import { parseCsv as parseCsvRecords } from '../../src/main/engine/datasets/csv.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DecisionAction, JournalEntry } from '../../src/shared/api.js';
import { encodeGreyPng } from '../../src/main/engine/datasets/png.js';
import type { EngineSample, ScoreTable } from '../../src/main/engine/engine-types.js';
import { PIXELS_PER_IMAGE } from '../../src/main/engine/types.js';

/** A 28x28 image unique to seed i. */
/** Sample i's image: a band of marks, its own for each i, on a black ground (as digits are drawn). */
export function imageFor(i: number): Uint8Array {
  const img = new Uint8Array(PIXELS_PER_IMAGE);
  for (let p = 8 * 28; p < 20 * 28; p++) img[p] = (p * 7 + i * 31) % 256;
  return img;
}

export function pixelsOf(n: number): Uint8Array {
  const pixels = new Uint8Array(n * PIXELS_PER_IMAGE);
  for (let i = 0; i < n; i++) pixels.set(imageFor(i), i * PIXELS_PER_IMAGE);
  return pixels;
}

/** Writes sample i's image as a PNG file under root/rel and returns the absolute path. */
export function writeSourcePng(root: string, rel: string, i: number): string {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, encodeGreyPng(imageFor(i), 28, 28));
  return file;
}

let seq = 0;
export function decision(
  sampleId: string,
  action: DecisionAction,
  after: string | null,
  batch: string,
  second: number,
): JournalEntry {
  return {
    kind: 'decision',
    entryId: `x-${String(seq++).padStart(6, '0')}`,
    batchId: `batch-${batch}`.padEnd(8, '0'),
    sampleId,
    action,
    before: null,
    after,
    at: new Date(Date.UTC(2026, 2, 1, 12, 0, second)).toISOString(),
    reviewer: 'ana',
  };
}

export function scoreTable(samples: readonly EngineSample[], classes: string[], predicted: number[]): ScoreTable {
  const n = samples.length;
  const C = classes.length;
  const col = (f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
  const probs = new Float32Array(n * C);
  predicted.forEach((p, i) => (probs[i * C + p] = 0.9));
  return {
    modelVersion: 'test-model',
    classes,
    probs,
    predicted: Int32Array.from(predicted),
    confidence: col(() => 0.9),
    msp: col((i) => 0.1 * i),
    margin: col((i) => 0.5 + 0.01 * i),
    entropy: col((i) => i / 3),
    energy: col((i) => -2 - i),
    knnDistance: col((i) => 0.25 * i),
    mcDisagreement: col((i) => 0.01 * i),
    oodScore: col((i) => i),
    labelIssue: col((i) => (samples[i]!.label === null ? NaN : 0.5)),
    reviewPriority: col((i) => n - i),
    flags: new Uint8Array(n),
    neighbours: new Int32Array(0),
    neighbourSims: new Float32Array(0),
    k: 0,
    thresholds: { ood: 1, lowConfidence: 0.5, labelIssue: 0.5 },
    heldOut: { oodScore: new Float32Array(0), knnDistance: new Float32Array(0), msp: new Float32Array(0) },
    heldOutIndices: new Int32Array(0),
  };
}

/** Rows as the datasets layer reads them: a manifest must read back exactly as Unsure reads a CSV dataset. */
export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((r) => r.fields);
}
