// `unsure score` on datasets with identical files, as a user runs it: a real process on real
// PNG class folders. Every file gets a row; a label conflict is a label issue on every copy.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encodeGreyPng, readMnistRaw } from '../../src/main/engine/datasets/index.js';
import { imageAt } from '../../src/main/engine/types.js';
import { parseCsv } from './export-fixtures.js';
import { tempDir } from './model-fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = tempDir('unsure-cli-copies-');
const train = path.join(tmp.dir, 'train');
const pool = path.join(tmp.dir, 'pool');
after(tmp.cleanup);

function unsure(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/main/cli.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, UNSURE_HOME: path.join(tmp.dir, 'home') },
  });
  return { code: r.status, stderr: r.stderr };
}

function rowsOf(file: string): Record<string, string>[] {
  const [header, ...body] = parseCsv(readFileSync(file, 'utf8'));
  return body.map((r) => Object.fromEntries(header!.map((h, k) => [h, r[k]!])));
}

let conflictFile = '';
before(() => {
  const mnist = readMnistRaw('train');
  for (let i = 0; i < 300; i++) {
    const dir = path.join(train, String(mnist.labels[i]));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${i}.png`), encodeGreyPng(imageAt(mnist.pixels, i), 28, 28));
  }
  // MNIST training digit 0 is a 5: the same file also in class 3 is a label conflict.
  conflictFile = path.join(train, '5', '0.png');
  copyFileSync(conflictFile, path.join(train, '3', 'copy-of-0.png'));
  // Digit 1 is a 0: a second copy in its own class is a plain duplicate.
  copyFileSync(path.join(train, '0', '1.png'), path.join(train, '0', 'twin-1.png'));
  const test_ = readMnistRaw('test');
  mkdirSync(pool, { recursive: true });
  for (let i = 0; i < 30; i++)
    writeFileSync(
      path.join(pool, `p${String(i).padStart(2, '0')}.png`),
      encodeGreyPng(imageAt(test_.pixels, i), 28, 28),
    );
  copyFileSync(path.join(pool, 'p04.png'), path.join(pool, 'p04b.png'));
  copyFileSync(conflictFile, path.join(pool, 'from-train.png'));
});

test('a pool of 32 files, two of them copies, gives 32 rows; duplicates and conflicts are counted', () => {
  const out = path.join(tmp.dir, 'pool.csv');
  const r = unsure('score', '--train', train, '--pool', pool, '--out', out, '--epochs', '1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /wrote 32 rows to .* \(\d+ flagged; 2 duplicate files, 1 label conflict\)/);
  const rows = rowsOf(out);
  assert.equal(rows.length, 32);
  const byPath = new Map(rows.map((row) => [row.path, row]));
  const again = byPath.get('p04b.png')!;
  const first = byPath.get('p04.png')!;
  assert.equal(again.duplicate_of, 'p04.png');
  assert.equal(first.duplicate_of, '');
  assert.equal(again.id, first.id);
  assert.equal(again.ood_score, first.ood_score);
  // The pool copy of a training file is that training sample, in conflict.
  const fromTrain = byPath.get('from-train.png')!;
  assert.equal(fromTrain.split, 'pool');
  assert.equal(fromTrain.duplicate_of, 'train:3/copy-of-0.png');
  assert.equal(fromTrain.label_issue, '1');
  assert.match(fromTrain.flags ?? '', /(^|;)label_issue;label_conflict$/);
  assert.equal(rows.filter((row) => row.duplicate_of !== '').length, 2);
});

test('without a pool every training file has a row; both conflicting copies are label issues', () => {
  const out = path.join(tmp.dir, 'train.csv');
  const r = unsure('score', '--train', train, '--out', out, '--epochs', '1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /wrote 302 rows .*; 2 duplicate files, 1 label conflict\)/);
  const rows = rowsOf(out);
  assert.equal(rows.length, 302);
  const copies = rows.filter((row) => row.path === '5/0.png' || row.path === '3/copy-of-0.png');
  assert.deepEqual(
    copies.map((row) => [
      row.path,
      row.label,
      row.label_issue,
      /label_issue;label_conflict$/.test(row.flags ?? ''),
      row.duplicate_of,
    ]),
    [
      ['3/copy-of-0.png', '3', '1', true, ''],
      ['5/0.png', '5', '1', true, '3/copy-of-0.png'],
    ],
  );
  assert.equal(copies[0]!.id, copies[1]!.id);
  assert.equal(copies[0]!.rank, String(Number(copies[1]!.rank) - 1));
  const twin = rows.find((row) => row.path === '0/twin-1.png')!;
  assert.equal(twin.duplicate_of, '0/1.png');
  assert.equal(twin.label, '0');
  // The twin shares an ordinary sample's out-of-fold verdict, not the conflict's certainty.
  assert.notEqual(twin.label_issue, '1');
  assert.doesNotMatch(twin.flags ?? '', /label_conflict/);
});

test('a pool made only of copies of training files still gives a row per pool file', () => {
  const copiesOnly = path.join(tmp.dir, 'pool-of-copies');
  mkdirSync(copiesOnly, { recursive: true });
  copyFileSync(path.join(train, '0', '1.png'), path.join(copiesOnly, 'a.png'));
  copyFileSync(path.join(train, '0', '1.png'), path.join(copiesOnly, 'b.png'));
  copyFileSync(conflictFile, path.join(copiesOnly, 'c.png'));
  const out = path.join(tmp.dir, 'copies.csv');
  const r = unsure('score', '--train', train, '--pool', copiesOnly, '--out', out, '--epochs', '1');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    rowsOf(out).map((row) => [row.path, row.split, row.duplicate_of]),
    [
      ['a.png', 'pool', 'train:0/1.png'],
      ['b.png', 'pool', 'train:0/1.png'],
      ['c.png', 'pool', 'train:3/copy-of-0.png'],
    ],
  );
});
