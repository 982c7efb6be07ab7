// `unsure manifest <dataset>` as a user runs it: a real process on real PNG class folders.
// Its rows are the rows of `unsure score --train` for the same dataset, in the same order,
// copies included, and it lists files without loading TensorFlow (nothing is decoded).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { encodeGreyPng, readMnistRaw } from '../../src/main/engine/datasets/index.js';
import { imageAt } from '../../src/main/engine/types.js';
import { parseCsv } from './export-fixtures.js';
import { tempDir } from './model-fixtures.js';
import { runUnsure } from './cli-run.js';
import { NO_TENSORFLOW_HOOK } from './no-tensorflow.js';

const tmp = tempDir('unsure-cli-manifest-');
const train = path.join(tmp.dir, 'train');
after(tmp.cleanup);

const unsure = (pre: string[], ...args: string[]) => runUnsure(path.join(tmp.dir, 'home'), pre, ...args);

before(() => {
  const mnist = readMnistRaw('train');
  for (let i = 0; i < 45; i++) {
    const label = String(mnist.labels[i]! % 3);
    const dir = path.join(train, label, i % 2 ? 'deep' : '');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${i}.png`), encodeGreyPng(imageAt(mnist.pixels, i), 28, 28));
  }
  // A duplicate (same bytes, another name) and a file at the root (unlabeled).
  const first = path.join(train, String(mnist.labels[0]! % 3), '0.png');
  copyFileSync(first, path.join(train, String(mnist.labels[0]! % 3), '10-copy.png'));
  copyFileSync(path.join(train, String(mnist.labels[2]! % 3), '2.png'), path.join(train, 'loose.png'));
});

test("manifest's rows are unsure score's rows, in order, copies included", () => {
  const m = unsure([], 'manifest', train);
  assert.equal(m.code, 0, m.stderr);
  const [head, ...listed] = parseCsv(m.stdout);
  assert.deepEqual(head, ['path', 'label']);
  assert.equal(listed.length, 47);

  const out = path.join(tmp.dir, 'scores.csv');
  const s = unsure([], 'score', '--train', train, '--out', out, '--epochs', '1');
  assert.equal(s.code, 0, s.stderr);
  const [sh, ...scored] = parseCsv(readFileSync(out, 'utf8'));
  const col = (name: string) => sh!.indexOf(name);
  assert.deepEqual(
    listed.map((r) => r[0]),
    scored.map((r) => r[col('path')]),
  );
  assert.deepEqual(
    listed.map((r) => r[1]),
    scored.map((r) => r[col('label')]),
  );
  // The copy is listed as its own row, as score lists it.
  assert.ok(scored.some((r) => r[col('duplicate_of')] !== ''));
  assert.ok(listed.some((r) => r[0]!.endsWith('10-copy.png')));
});

test('manifest lists files without loading TensorFlow, and writes --out atomically', () => {
  const out = path.join(tmp.dir, 'manifest.csv');
  const r = unsure(['--import', NO_TENSORFLOW_HOOK], 'manifest', train, '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /TensorFlow was imported/);
  assert.match(r.stderr, /wrote 47 rows to /);
  assert.equal(readFileSync(out, 'utf8').split('\n')[0], 'path,label');
});

test('manifest refusals: no dataset, two datasets, a missing one, --out inside the dataset', () => {
  assert.equal(unsure([], 'manifest').code, 2);
  assert.equal(unsure([], 'manifest', train, train).code, 2);
  const missing = unsure([], 'manifest', path.join(tmp.dir, 'nope'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Dataset not found: .*nope does not exist/);
  const inside = unsure([], 'manifest', train, '--out', path.join(train, 'm.csv'));
  assert.equal(inside.code, 2);
  assert.match(inside.stderr, /inside the source dataset/);
});
