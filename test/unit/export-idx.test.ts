import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { readIdxImages, readIdxLabels } from '../../src/main/engine/datasets/idx.js';
import type { EngineSample } from '../../src/main/engine/engine-types.js';
import {
  exportDataset,
  IDX_CLASSES,
  IDX_IMAGES,
  IDX_LABELS,
  MANIFEST_JSONL,
} from '../../src/main/engine/export/export-dataset.js';
import { idxClassOrder } from '../../src/main/engine/export/idx-classes.js';
import { finalLabels, foldJournal, givenLabelsOf } from '../../src/shared/journal-fold.js';
import { imageAt } from '../../src/main/engine/types.js';
import { decision, pixelsOf } from './export-fixtures.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-export-idx-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('IDX export', () => {
  test('writes the labeled samples as IDX that reads back to the same pixels and final labels', async () => {
    const n = 12;
    // An MNIST-like source: records idx:0..idx:11, labels 0..9 then two unlabeled pool records.
    const samples: EngineSample[] = Array.from({ length: n }, (_, i) => ({
      id: `idxrec${String(i).padStart(4, '0')}`,
      path: `idx:${i}`,
      label: i < 10 ? String(i) : null,
      file: null,
      split: i < 10 ? 'train' : 'pool',
    }));
    const pixels = pixelsOf(n);
    const fold = foldJournal(
      [
        decision('idxrec0002', 'other', 'other', 'b1', 1),
        decision('idxrec0007', 'relabel', '1', 'b1', 2),
        decision('idxrec0010', 'accept', '4', 'b2', 3),
      ],
      givenLabelsOf(samples),
    );
    const labels = finalLabels(samples, fold);
    const dest = path.join(root, 'mnist-corrected');
    const summary = await exportDataset({
      dest,
      samples,
      pixels,
      decisions: fold.samples,
      labels,
      sourceRoots: [],
      sourceKind: 'idx',
    });
    assert.equal(summary.files, n + 2 + 3);

    const classes = readFileSync(path.join(dest, IDX_CLASSES), 'utf8').trimEnd().split('\n');
    assert.deepEqual(classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'other']);

    // Header bytes checked by hand, then the shared reader reads the files back.
    const rawImages = readFileSync(path.join(dest, IDX_IMAGES));
    assert.deepEqual([...rawImages.subarray(0, 16)], [0, 0, 8, 3, 0, 0, 0, 11, 0, 0, 0, 28, 0, 0, 0, 28]);
    const images = readIdxImages(path.join(dest, IDX_IMAGES));
    const bytes = readIdxLabels(path.join(dest, IDX_LABELS));
    assert.equal(images.count, 11); // 10 labeled + the accepted pool record; record 11 stays unlabeled
    assert.equal(bytes.length, 11);

    const kept = labels.map((l, i) => [l, i] as const).filter(([l]) => l !== null);
    kept.forEach(([label, i], r) => {
      assert.equal(classes[bytes[r]!], label, `record ${r}`);
      assert.deepEqual(Uint8Array.from(imageAt(images.pixels, r)), imageAt(pixels, i), `record ${r}`);
    });
    assert.equal(bytes[2], 10); // other
    assert.equal(bytes[7], 1);

    // The manifest links each image to its IDX record.
    const rows = readFileSync(path.join(dest, MANIFEST_JSONL), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      rows.map((r) => r.idx_index),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null],
    );
  });

  test('IDX is inferred from idx: sample paths when the source kind is not given', async () => {
    const samples: EngineSample[] = [{ id: 'rec00000', path: 'idx:0', label: '3', file: null, split: 'train' }];
    const dest = path.join(root, 'inferred');
    await exportDataset({ dest, samples, pixels: pixelsOf(1), decisions: new Map(), labels: ['3'], sourceRoots: [] });
    assert.deepEqual([...readIdxLabels(path.join(dest, IDX_LABELS))], [3]);
  });

  test('class order: integers keep their value as the byte, names are in natural order, other is last', () => {
    assert.deepEqual(idxClassOrder(['3', '1', null, 'other']), ['0', '1', '2', '3', 'other']);
    assert.deepEqual(idxClassOrder(['cat', 'dog10', 'dog2']), ['cat', 'dog2', 'dog10', 'other']);
    // '07' is not a canonical integer, so these are names, in natural order.
    assert.deepEqual(idxClassOrder(['07', '1']), ['1', '07', 'other']);
    assert.deepEqual(idxClassOrder(['2'], ['0', '1', '2']), ['0', '1', '2', 'other']);
    assert.throws(() => idxClassOrder(Array.from({ length: 300 }, (_, i) => `c${i}`)), /do not fit/);
  });
});
