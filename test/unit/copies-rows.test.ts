// One row per file: identical files are one sample (one id, pixels stored once), every file
// keeps its row in the score CSV, with duplicate_of naming the first file of those bytes;
// a pool file identical to a training file is a copy of that training sample.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DoubtFlag, FileFlag } from '../../src/shared/api.js';
import { assembleDataset } from '../../src/main/engine/datasets/assemble.js';
import { mergeSplits, ownPositions } from '../../src/main/engine/datasets/merge-splits.js';
import { copyCounts, fileRows } from '../../src/main/engine/pipeline/file-rows.js';
import { scoreTableToCsv, SCORE_CSV_COLUMNS } from '../../src/main/engine/pipeline/score-csv.js';
import {
  conflictSamples,
  flagConflicts,
  openConflicts,
  withConflicts,
} from '../../src/main/engine/pipeline/label-conflicts.js';
import { buildQueue, copyCountsOf, fileFlagsOf } from '../../src/main/service/queue.js';
import { imageAt, PIXELS_PER_IMAGE, type Sample } from '../../src/main/engine/types.js';
import { imageFor, parseCsv, scoreTable } from './export-fixtures.js';

/** Files in load order; `content` picks the image, so equal content = identical bytes (same id). */
function dataset(files: { path: string; label: string | null; content: number }[]) {
  const rows: Sample[] = files.map((f) => ({ id: `id-${f.content}`, path: f.path, label: f.label, file: null }));
  const pixels = new Uint8Array(files.length * PIXELS_PER_IMAGE);
  files.forEach((f, i) => pixels.set(imageFor(f.content), i * PIXELS_PER_IMAGE));
  return assembleDataset('folder', '/data', rows, pixels);
}

const train = dataset([
  { path: '3/a.png', label: '3', content: 0 },
  { path: '3/b.png', label: '3', content: 1 },
  { path: '3/c.png', label: '3', content: 2 }, // the same bytes as 5/c.png: a label conflict
  { path: '5/c.png', label: '5', content: 2 },
  { path: '5/d.png', label: '5', content: 3 },
  { path: '5/e.png', label: '5', content: 4 },
  { path: '5/f.png', label: '5', content: 1 }, // 3/b.png again, labeled 5: another conflict
  { path: 'unlabeled/g.png', label: null, content: 0 }, // 3/a.png unlabeled: agrees with '3'
]);
const pool = dataset([
  { path: 'p1.png', label: null, content: 10 },
  { path: 'p2.png', label: null, content: 11 },
  { path: 'p3.png', label: null, content: 10 }, // p1 again
  { path: 'p4.png', label: null, content: 3 }, // a training file (5/d.png)
  { path: 'p5.png', label: null, content: 12 },
  { path: 'p6.png', label: '3', content: 4 }, // 5/e.png, labeled 3 in the pool: a conflict across datasets
]);

describe('assembly', () => {
  test('one sample per content, pixels once, every file listed with its label and place', () => {
    assert.deepEqual(
      train.samples.map((s) => [s.path, s.label]),
      [
        ['3/a.png', '3'],
        ['3/b.png', null],
        ['3/c.png', null],
        ['5/d.png', '5'],
        ['5/e.png', '5'],
      ],
    );
    assert.equal(train.pixels.length, 5 * PIXELS_PER_IMAGE);
    assert.deepEqual(imageAt(train.pixels, 3), imageFor(3));
    assert.deepEqual(
      train.copies.map((g) => [g.sample, g.conflict, g.files.map((f) => `${f.at}:${f.path}=${f.label}`)]),
      [
        [2, true, ['2:3/c.png=3', '3:5/c.png=5']],
        [1, true, ['1:3/b.png=3', '6:5/f.png=5']],
        [0, false, ['0:3/a.png=3', '7:unlabeled/g.png=null']],
      ],
    );
    assert.deepEqual([...ownPositions(train)], [0, 1, 2, 4, 5]);
  });
});

describe('train and pool together', () => {
  const merged = mergeSplits(train, pool, (n) => new Uint8Array(n));

  test('a pool file with a training file bytes is a copy of that training sample', () => {
    assert.deepEqual(
      merged.samples.map((s) => `${s.split}:${s.path}`),
      [
        'train:3/a.png',
        'train:3/b.png',
        'train:3/c.png',
        'train:5/d.png',
        'train:5/e.png',
        'pool:p1.png',
        'pool:p2.png',
        'pool:p5.png',
      ],
    );
    assert.equal(merged.pixels.length, 8 * PIXELS_PER_IMAGE);
    assert.deepEqual(imageAt(merged.pixels, 7), imageFor(12));
    assert.equal(new Set(merged.samples.map((s) => s.id)).size, merged.samples.length);
    const d = merged.copies.find((g) => g.sample === 3)!;
    assert.deepEqual(
      d.files.map((f) => `${f.split}:${f.at}:${f.path}`),
      ['train:4:5/d.png', 'pool:3:p4.png'],
    );
    assert.equal(d.conflict, false);
    assert.equal(merged.samples[3]!.label, '5');
  });

  test('a pool label that differs from the training label is a conflict: the sample trains on neither', () => {
    const e = merged.copies.find((g) => g.sample === 4)!;
    assert.equal(e.conflict, true);
    assert.equal(merged.samples[4]!.label, null);
    assert.deepEqual([...conflictSamples(merged.copies)].sort(), [1, 2, 4]);
  });

  test('fileRows: every file of a dataset in its load order, duplicate_of the first file', () => {
    const rows = fileRows(merged.samples, merged.copies, 'pool');
    assert.deepEqual(
      rows.map((r) => [r.path, r.sample, r.duplicateOf]),
      [
        ['p1.png', 5, ''],
        ['p2.png', 6, ''],
        ['p3.png', 5, 'p1.png'],
        ['p4.png', 3, 'train:5/d.png'],
        ['p5.png', 7, ''],
        ['p6.png', 4, 'train:5/e.png'],
      ],
    );
    assert.equal(rows[5]!.label, '3');
    assert.equal(rows[5]!.conflict, true);
    assert.deepEqual(copyCounts(rows), { duplicates: 3, conflicts: 1 });
    const trainRows = fileRows(merged.samples, merged.copies, 'train');
    assert.deepEqual(
      trainRows.map((r) => `${r.path}=${r.label}${r.duplicateOf ? ` <- ${r.duplicateOf}` : ''}`),
      [
        '3/a.png=3',
        '3/b.png=3',
        '3/c.png=3',
        '5/c.png=5 <- 3/c.png',
        '5/d.png=5',
        '5/e.png=5',
        '5/f.png=5 <- 3/b.png',
        'unlabeled/g.png=null <- 3/a.png',
      ],
    );
    assert.equal(fileRows(merged.samples, merged.copies).length, 14);
  });

  test('the score CSV: two identical files give two rows sharing the scores, each with its own path and label', () => {
    const table = scoreTable(
      merged.samples,
      ['3', '5'],
      merged.samples.map(() => 0),
    );
    const open = openConflicts(
      conflictSamples(merged.copies),
      merged.samples.map((s) => s.label),
    );
    flagConflicts(table, open);
    const csv = parseCsv(scoreTableToCsv(table, fileRows(merged.samples, merged.copies, 'pool')));
    assert.deepEqual(csv[0], [...SCORE_CSV_COLUMNS]);
    const col = (name: string) => csv[0]!.indexOf(name);
    assert.equal(csv.length, 1 + 6);
    const [p1, , p3, p4, , p6] = csv.slice(1);
    assert.equal(p1![col('id')], p3![col('id')]);
    assert.equal(p1![col('ood_score')], p3![col('ood_score')]);
    assert.deepEqual([p1![col('path')], p3![col('path')]], ['p1.png', 'p3.png']);
    assert.deepEqual([p1![col('duplicate_of')], p3![col('duplicate_of')]], ['', 'p1.png']);
    assert.equal(p4![col('duplicate_of')], 'train:5/d.png');
    // Copies rank side by side, every rank used once.
    assert.equal(Math.abs(Number(p1![col('rank')]) - Number(p3![col('rank')])), 1);
    assert.deepEqual(
      csv
        .slice(1)
        .map((r) => Number(r[col('rank')]))
        .sort(),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal(p6![col('label')], '3');
    assert.equal(p6![col('flags')], 'label_issue;label_conflict');
  });
});

describe('label conflicts', () => {
  test('an open conflict scores label_issue 1; a reviewer label closes it', () => {
    const conflicts = Int32Array.of(1, 2);
    const labels = ['3', null, null, '5'];
    const open = openConflicts(conflicts, labels);
    assert.deepEqual([...open], [1, 2]);
    const fresh = withConflicts(null, open, 4)!;
    assert.deepEqual(
      [...fresh.scores].map((x) => (Number.isNaN(x) ? 'NaN' : x)),
      ['NaN', 1, 1, 'NaN'],
    );
    const check = { scores: Float32Array.of(0.1, Number.NaN, Number.NaN, 0.7), threshold: 0.6, estimatedIssues: 1 };
    const both = withConflicts(check, open, 4)!;
    assert.deepEqual([...both.scores], [Float32Array.of(0.1)[0], 1, 1, Float32Array.of(0.7)[0]]);
    assert.equal(both.threshold, 0.6);
    assert.ok(Number.isNaN(check.scores[1]!), 'the check result itself is not changed');
    // Decided: sample 1 labeled '5' by a reviewer.
    assert.deepEqual([...openConflicts(conflicts, ['3', '5', null, '5'])], [2]);
    assert.equal(withConflicts(check, openConflicts(conflicts, ['3', '5', '3', '5']), 4), check);
  });

  test('flagged on every scored row, whatever the threshold; pending rows wait', () => {
    const samples = ['a', 'b', 'c'].map((id) => ({
      id,
      path: `${id}.png`,
      label: null,
      file: null,
      split: 'pool' as const,
    }));
    const table = scoreTable(samples, ['3', '5'], [0, 0, 1]);
    table.flags[0] = DoubtFlag.ood;
    table.scored = Uint8Array.of(1, 1, 0);
    flagConflicts(table, Int32Array.of(0, 1, 2));
    assert.deepEqual([...table.flags], [DoubtFlag.ood | DoubtFlag.labelIssue, DoubtFlag.labelIssue, 0]);
  });
});

describe('the queue', () => {
  test('copies and conflicts are flag bits of the queue rows, counted for the top bar', () => {
    const merged = mergeSplits(train, pool, (n) => new Uint8Array(n));
    const data = { samples: merged.samples, copies: merged.copies };
    const ff = fileFlagsOf(data);
    assert.equal(ff[0], FileFlag.copies);
    assert.equal(ff[1], FileFlag.copies | FileFlag.labelConflict);
    assert.equal(ff[6], 0);
    assert.deepEqual(copyCountsOf(data), { duplicates: 6, labelConflicts: 3 });
    const table = scoreTable(
      merged.samples,
      ['3', '5'],
      merged.samples.map(() => 0),
    );
    table.flags[1] = DoubtFlag.labelIssue;
    const q = buildQueue(table, merged.samples.length, 'open1', 'r1', ff);
    const row = q.order.indexOf(1);
    assert.equal(q.flags[row], DoubtFlag.labelIssue | FileFlag.copies | FileFlag.labelConflict);
    assert.equal(q.flags[q.order.indexOf(6)], 0);
  });
});
