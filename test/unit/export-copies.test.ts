// Exports follow the one-row-per-file rule: every file of a sample is copied and gets its
// manifest row (CSV and JSON lines), a decision on the sample labels every copy, and an
// open label conflict keeps each file's own label. The journal is a file written the way
// Unsure wrote it before copies existed: decisions keyed by sample id, nothing else.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { exportDataset, MANIFEST_CSV, MANIFEST_JSONL } from '../../src/main/engine/export/export-dataset.js';
import type { EngineSample, SplitCopyGroup } from '../../src/main/engine/engine-types.js';
import { openJournal, JOURNAL_FILE } from '../../src/main/engine/review/journal.js';
import { finalLabels, foldJournal, givenLabelsOf } from '../../src/shared/journal-fold.js';
import { openConflicts } from '../../src/main/engine/pipeline/label-conflicts.js';
import { parseCsv, pixelsOf, scoreTable, writeSourcePng } from './export-fixtures.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-export-copies-'));
after(() => rmSync(root, { recursive: true, force: true }));
const trainRoot = path.join(root, 'train');
const poolRoot = path.join(root, 'pool');

// Sample 0: 3/a.png and 3/a2.png (same bytes); sample 1: 3/b.png and 5/b.png (a conflict,
// label null); sample 2: 5/c.png, also in the pool as c.png; sample 3: an ordinary pool file.
const file = (root_: string, rel: string, content: number) => writeSourcePng(root_, rel, content);
const samples: EngineSample[] = [
  { id: 'aaaa1111', path: '3/a.png', label: '3', file: file(trainRoot, '3/a.png', 0), split: 'train' },
  { id: 'bbbb2222', path: '3/b.png', label: null, file: file(trainRoot, '3/b.png', 1), split: 'train' },
  { id: 'cccc3333', path: '5/c.png', label: '5', file: file(trainRoot, '5/c.png', 2), split: 'train' },
  { id: 'dddd4444', path: 'd.png', label: null, file: file(poolRoot, 'd.png', 3), split: 'pool' },
];
const copies: SplitCopyGroup[] = [
  {
    sample: 0,
    conflict: false,
    files: [
      { path: '3/a.png', file: samples[0]!.file, label: '3', at: 0, split: 'train' },
      { path: '3/a2.png', file: file(trainRoot, '3/a2.png', 0), label: '3', at: 1, split: 'train' },
    ],
  },
  {
    sample: 1,
    conflict: true,
    files: [
      { path: '3/b.png', file: samples[1]!.file, label: '3', at: 2, split: 'train' },
      { path: '5/b.png', file: file(trainRoot, '5/b.png', 1), label: '5', at: 3, split: 'train' },
    ],
  },
  {
    sample: 2,
    conflict: false,
    files: [
      { path: '5/c.png', file: samples[2]!.file, label: '5', at: 4, split: 'train' },
      { path: 'c.png', file: file(poolRoot, 'c.png', 2), label: null, at: 0, split: 'pool' },
    ],
  },
];
const pixels = pixelsOf(4);

/** A journal file as the app wrote it before this change, read back with openJournal. */
function oldJournal(dir: string, lines: object[]) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, JOURNAL_FILE), lines.map((l) => JSON.stringify(l) + '\n').join(''));
  return openJournal(dir, { warn: (m) => assert.fail(m) });
}
const entry = (n: number, sampleId: string, action: string, before: string | null, after_: string | null) => ({
  kind: 'decision',
  entryId: `entry-000${n}`,
  batchId: `batch-000${n}`,
  sampleId,
  action,
  before,
  after: after_,
  at: `2026-02-0${n}T10:00:00.000Z`,
  reviewer: 'ana',
});

async function exportWith(name: string, journalLines: object[]) {
  const journal = oldJournal(path.join(root, `project-${name}`), journalLines);
  const fold = foldJournal(journal.entries(), givenLabelsOf(samples));
  const labels = finalLabels(samples, fold);
  const dest = path.join(root, `out-${name}`);
  const summary = await exportDataset({
    dest,
    samples,
    pixels,
    decisions: fold.samples,
    labels,
    copies,
    table: scoreTable(samples, ['3', '5'], [0, 0, 1, 1]),
    sourceRoots: [trainRoot, poolRoot],
  });
  const csv = parseCsv(readFileSync(path.join(dest, MANIFEST_CSV), 'utf8'));
  const header = csv[0]!;
  const rows = csv.slice(1).map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]!])));
  const jsonl = readFileSync(path.join(dest, MANIFEST_JSONL), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { dest, summary, rows, jsonl, labels };
}

test('every file is exported with its own manifest row; a decision labels every copy', async () => {
  const { dest, summary, rows, jsonl } = await exportWith('decided', [
    entry(1, 'aaaa1111', 'relabel', '3', '5'),
    entry(2, 'cccc3333', 'other', '5', 'other'),
  ]);
  assert.deepEqual(
    rows.map((r) => [r.source_path, r.split, r.label, r.duplicate_of, r.decision]),
    [
      ['3/a.png', 'train', '5', '', 'relabel'],
      ['3/a2.png', 'train', '5', '3/a.png', 'relabel'],
      ['3/b.png', 'train', '3', '', ''],
      ['5/b.png', 'train', '5', '3/b.png', ''],
      ['5/c.png', 'train', 'other', '', 'other'],
      // c.png comes first in the pool's load order (at 0), d.png takes the next place.
      ['c.png', 'pool', 'other', 'train:5/c.png', 'other'],
      ['d.png', 'pool', '', '', ''],
    ],
  );
  assert.deepEqual(
    jsonl.map((r) => r.duplicate_of),
    [null, '3/a.png', null, '3/b.png', null, 'train:5/c.png', null],
  );
  assert.equal(jsonl[1]!.id, 'aaaa1111');
  // Class folders hold every file, copies under distinct names, the original bytes.
  assert.deepEqual(readdirSync(path.join(dest, '5')).sort(), ['aaaa1111-2.png', 'aaaa1111.png', 'bbbb2222.png']);
  assert.deepEqual(readdirSync(path.join(dest, 'other')).sort(), ['cccc3333-2.png', 'cccc3333.png']);
  assert.deepEqual(readFileSync(path.join(dest, 'other', 'cccc3333-2.png')), readFileSync(copies[2]!.files[1]!.file!));
  assert.deepEqual(summary.perClass, { '3': 1, '5': 3, other: 2, unlabeled: 1 });
  assert.equal(summary.corrected, 4);
});

test('a decision on a label conflict settles it for every copy', async () => {
  const { rows, labels } = await exportWith('conflict', [entry(3, 'bbbb2222', 'relabel', null, '3')]);
  assert.deepEqual(
    rows.filter((r) => r.id === 'bbbb2222').map((r) => [r.source_path, r.label, r.original_label]),
    [
      ['3/b.png', '3', '3'],
      ['5/b.png', '3', '5'],
    ],
  );
  // And the conflict is no longer open: training takes the reviewer's label.
  assert.equal(labels[1], '3');
  assert.deepEqual([...openConflicts(Int32Array.of(1), labels)], []);
});
