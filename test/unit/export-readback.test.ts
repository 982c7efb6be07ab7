// Unsure must be able to open its own export as a dataset: the class folders are what the
// folder reader reads, and copied originals keep their ids (so decisions still apply).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadDataset } from '../../src/main/engine/datasets/load-dataset.js';
import type { EngineSample } from '../../src/main/engine/engine-types.js';
import { exportDataset, IDX_IMAGES, MANIFEST_CSV } from '../../src/main/engine/export/export-dataset.js';
import { finalLabels, foldJournal, givenLabelsOf } from '../../src/shared/journal-fold.js';
import type { LoadedDataset } from '../../src/main/engine/types.js';
import { decision, writeSourcePng } from './export-fixtures.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-export-readback-'));
after(() => rmSync(root, { recursive: true, force: true }));
const trainRoot = path.join(root, 'train');
const poolRoot = path.join(root, 'pool');
const dest = path.join(root, 'exported');

let samples: EngineSample[] = [];
let labels: (string | null)[] = [];

before(async () => {
  ['3/a.png', '3/b.png', '3/c.png', '5/d.png', '5/e.png'].forEach((rel, i) => writeSourcePng(trainRoot, rel, i));
  ['p.png', 'q.png', 'r.png'].forEach((rel, i) => writeSourcePng(poolRoot, rel, 10 + i));
  const tag = (d: LoadedDataset, split: 'train' | 'pool') => d.samples.map((s) => ({ ...s, split }));
  const train = await loadDataset(trainRoot);
  const pool = await loadDataset(poolRoot);
  samples = [...tag(train, 'train'), ...tag(pool, 'pool')];
  const byPath = (p: string) => samples.find((s) => s.path === p)!.id;
  const fold = foldJournal(
    [
      decision(byPath('3/a.png'), 'other', 'other', 'rb1', 1),
      decision(byPath('5/d.png'), 'relabel', '3', 'rb1', 2),
      decision(byPath('p.png'), 'accept', '5', 'rb2', 3),
    ],
    givenLabelsOf(samples),
  );
  labels = finalLabels(samples, fold);
  const pixels = new Uint8Array([...train.pixels, ...pool.pixels]);
  await exportDataset({
    dest,
    samples,
    pixels,
    decisions: fold.samples,
    labels,
    sourceRoots: [trainRoot, poolRoot],
    sourceKind: ['folder', 'images'],
  });
});

describe('reading an export back', () => {
  test('the folder reader sees the final labels, under the same ids', async () => {
    const back = await loadDataset(dest);
    assert.equal(back.kind, 'folder');
    const labelOf = new Map(back.samples.map((s) => [s.id, s.label]));
    samples.forEach((s, i) => {
      if (labels[i] !== null) assert.equal(labelOf.get(s.id), labels[i], s.path);
    });
    assert.deepEqual(back.samples.filter((s) => s.label === 'other').length, 1);
  });

  test('unlabeled samples read back as unlabeled', async () => {
    const back = await loadDataset(dest);
    const labelOf = new Map(back.samples.map((s) => [s.id, s.label]));
    samples.forEach((s, i) => {
      if (labels[i] === null) assert.equal(labelOf.get(s.id), null, s.path);
    });
    assert.deepEqual(back.classes, ['3', '5']);
  });

  test('the CSV manifest opens as a dataset with the final labels', async () => {
    const back = await loadDataset(path.join(dest, MANIFEST_CSV));
    const labelOf = new Map(back.samples.map((s) => [s.id, s.label]));
    samples.forEach((s, i) => assert.equal(labelOf.get(s.id), labels[i], s.path));
  });

  test('an IDX export reopens with class names from classes.txt', async () => {
    const idxDest = path.join(root, 'exported-idx');
    const idxSamples: EngineSample[] = [0, 1].map((i) => ({
      id: `rec${i}aaaaa`,
      path: `idx:${i}`,
      label: String(i),
      file: null,
      split: 'train',
    }));
    const pixels = new Uint8Array(2 * 784).map((_, k) => k % 251);
    await exportDataset({
      dest: idxDest,
      samples: idxSamples,
      pixels,
      decisions: new Map(),
      labels: ['other', '1'],
      sourceRoots: [],
      sourceKind: 'idx',
    });
    const back = await loadDataset(path.join(idxDest, IDX_IMAGES));
    assert.deepEqual(
      back.samples.map((s) => s.label),
      ['other', '1'],
    );
  });
});
