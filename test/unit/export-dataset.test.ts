import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { encodeGreyPng } from '../../src/main/engine/datasets/png.js';
import type { EngineSample } from '../../src/main/engine/engine-types.js';
import { exportDataset, MANIFEST_CSV, MANIFEST_JSONL } from '../../src/main/engine/export/export-dataset.js';
import { finalLabels, foldJournal, givenLabelsOf } from '../../src/shared/journal-fold.js';
import { EXPORT_MARKER } from '../../src/main/engine/project/output-guard.js';
import { decision, imageFor, parseCsv, pixelsOf, scoreTable, writeSourcePng } from './export-fixtures.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-export-'));
after(() => rmSync(root, { recursive: true, force: true }));
const trainRoot = path.join(root, 'train');
const poolRoot = path.join(root, 'pool');

// Training set: class folders 3 and 5; pool: unlabeled files, plus one generated image with no file.
const samples: EngineSample[] = [
  { id: 'aaaa1111', path: '3/a.png', label: '3', file: writeSourcePng(trainRoot, '3/a.png', 0), split: 'train' },
  { id: 'bbbb2222', path: '3/b.PNG', label: '3', file: writeSourcePng(trainRoot, '3/b.PNG', 1), split: 'train' },
  { id: 'cccc3333', path: '5/c.png', label: '5', file: writeSourcePng(trainRoot, '5/c.png', 2), split: 'train' },
  { id: 'dddd4444', path: 'generated:0', label: null, file: null, split: 'pool' },
  { id: 'eeee5555', path: 'e.png', label: null, file: writeSourcePng(poolRoot, 'e.png', 4), split: 'pool' },
  { id: 'ffff6666', path: 'f.png', label: null, file: writeSourcePng(poolRoot, 'f.png', 5), split: 'pool' },
];
const pixels = pixelsOf(samples.length);
const journal = [
  decision('aaaa1111', 'other', 'other', 'one', 1),
  decision('bbbb2222', 'keep', '3', 'one', 2),
  decision('cccc3333', 'relabel', '3', 'two', 3),
  decision('dddd4444', 'accept', '5', 'two', 4),
  decision('ffff6666', 'skip', null, 'two', 5),
];
const fold = foldJournal(journal, givenLabelsOf(samples));
const labels = finalLabels(samples, fold);
const table = scoreTable(samples, ['3', '5'], [0, 0, 1, 1, 0, 1]);

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const p = path.join(e.parentPath, e.name);
      out[path.relative(dir, p)] = readFileSync(p).toString('base64') + statSync(p).mtimeMs;
    }
  }
  return out;
}

describe('exportDataset', () => {
  test('writes class folders, original bytes, PNGs for generated samples, and a matching manifest', async () => {
    const before = { train: snapshot(trainRoot), pool: snapshot(poolRoot) };
    const dest = path.join(root, 'out');
    const progress: [number, number][] = [];
    const summary = await exportDataset({
      dest,
      samples,
      pixels,
      decisions: fold.samples,
      labels,
      table,
      sourceRoots: [trainRoot, poolRoot],
      sourceKind: ['folder', 'images'],
      onProgress: (d, t) => progress.push([d, t]),
    });

    assert.deepEqual(labels, ['other', '3', '3', '5', null, null]);
    assert.equal(summary.dir, dest);
    assert.deepEqual(summary.perClass, { other: 1, '3': 2, '5': 1, unlabeled: 2 });
    assert.equal(summary.corrected, 3); // a -> other, c -> 3, d -> 5
    assert.equal(summary.files, 6 + 2);
    assert.equal(summary.modelIncluded, false);
    assert.deepEqual(summary.manifest, [path.join(dest, MANIFEST_CSV), path.join(dest, MANIFEST_JSONL)]);
    assert.deepEqual(progress.at(-1), [7, 7]);

    // The hidden marker says Unsure made the folder (a later export may replace it).
    assert.deepEqual(
      readdirSync(dest).sort(),
      [EXPORT_MARKER, '3', '5', MANIFEST_CSV, MANIFEST_JSONL, 'other', 'unlabeled'].sort(),
    );
    assert.deepEqual(readdirSync(path.join(dest, 'other')), ['aaaa1111.png']);
    assert.deepEqual(readdirSync(path.join(dest, '3')).sort(), ['bbbb2222.png', 'cccc3333.png']);
    assert.deepEqual(readdirSync(path.join(dest, '5')), ['dddd4444.png']);
    assert.deepEqual(readdirSync(path.join(dest, 'unlabeled')).sort(), ['eeee5555.png', 'ffff6666.png']);
    // Originals are copied byte for byte; the generated sample is encoded from its pixels.
    assert.deepEqual(readFileSync(path.join(dest, 'other', 'aaaa1111.png')), readFileSync(samples[0]!.file!));
    assert.deepEqual(readFileSync(path.join(dest, '3', 'bbbb2222.png')), readFileSync(samples[1]!.file!));
    assert.deepEqual(readFileSync(path.join(dest, '5', 'dddd4444.png')), encodeGreyPng(imageFor(3), 28, 28));

    // The sources are untouched, and no temp folder is left beside the export.
    assert.deepEqual({ train: snapshot(trainRoot), pool: snapshot(poolRoot) }, before);
    assert.deepEqual(
      readdirSync(root).filter((f) => f.includes('unsure-tmp')),
      [],
    );

    const csv = parseCsv(readFileSync(path.join(dest, MANIFEST_CSV), 'utf8'));
    const header = csv[0]!;
    assert.deepEqual(header.slice(0, 2), ['path', 'label']);
    const rows = csv.slice(1).map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
    assert.equal(rows.length, samples.length);
    assert.deepEqual(rows[0], {
      path: 'other/aaaa1111.png',
      label: 'other',
      id: 'aaaa1111',
      split: 'train',
      source_path: '3/a.png',
      source_file: samples[0]!.file!,
      original_label: '3',
      decision: 'other',
      decided_at: '2026-03-01T12:00:01.000Z',
      reviewer: 'ana',
      duplicate_of: '',
      predicted: '3',
      confidence: '0.9',
      msp: '0',
      margin: '0.5',
      entropy: '0',
      energy: '-2',
      knn_distance: '0',
      mc_disagreement: '0',
      ood_score: '0',
      label_issue: '0.5',
      review_priority: '6',
    });
    assert.equal(rows[3]!.decision, 'accept');
    assert.equal(rows[3]!.source_file, '');
    assert.equal(rows[4]!.label, '');
    assert.equal(rows[4]!.decision, '');
    assert.equal(rows[4]!.label_issue, '');
    assert.equal(rows[5]!.decision, 'skip');
    // Every manifest path points at the file written for that sample.
    for (const r of rows) assert.ok(statSync(path.join(dest, r.path!)).isFile(), r.path);

    const jsonl = readFileSync(path.join(dest, MANIFEST_JSONL), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(jsonl.length, samples.length);
    assert.equal(jsonl[2].label, '3');
    assert.equal(jsonl[2].original_label, '5');
    assert.equal(jsonl[2].decision, 'relabel');
    assert.equal(jsonl[4].label, null);
    assert.equal(jsonl[4].label_issue, null);
    assert.equal(jsonl[1].margin, 0.51);
    assert.equal(jsonl[5].entropy, 1.666667);
  });

  test('without scores the manifest has no score columns; duplicate ids get distinct names', async () => {
    const dest = path.join(root, 'out-plain');
    const twins: typeof samples = [samples[1]!, { ...samples[1]!, path: '3/b-copy.png', split: 'pool' }];
    const summary = await exportDataset({
      dest,
      samples: twins,
      pixels: pixelsOf(2),
      decisions: new Map(),
      labels: ['3', '3'],
      sourceRoots: [trainRoot],
    });
    assert.deepEqual(readdirSync(path.join(dest, '3')).sort(), ['bbbb2222-2.png', 'bbbb2222.png']);
    assert.equal(summary.corrected, 0);
    const header = readFileSync(path.join(dest, MANIFEST_CSV), 'utf8').split('\n')[0];
    assert.equal(
      header,
      'path,label,id,split,source_path,source_file,original_label,decision,decided_at,reviewer,duplicate_of',
    );
  });

  test('accepts an existing empty destination folder', async () => {
    const dest = path.join(root, 'empty-dest');
    mkdirSync(dest);
    await exportDataset({
      dest,
      samples: samples.slice(0, 1),
      pixels: pixelsOf(1),
      decisions: fold.samples,
      labels: ['other'],
      sourceRoots: [trainRoot],
    });
    assert.deepEqual(readdirSync(path.join(dest, 'other')), ['aaaa1111.png']);
  });
});
