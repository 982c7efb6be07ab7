// `unsure score --pred-probs` as a user runs it, on a real PNG class-folder dataset: the flags
// are checked against each other (exit 2 before any work), and the files are read and checked
// against the dataset's files (a bad file is named with the row and the problem).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { encodeGreyPng, readMnistRaw } from '../../src/main/engine/datasets/index.js';
import { imageAt } from '../../src/main/engine/types.js';
import { parseCsv } from './export-fixtures.js';
import { tempDir } from './model-fixtures.js';
import { runUnsure } from './cli-run.js';
import { NO_TENSORFLOW_HOOK } from './no-tensorflow.js';
import { writeNpy } from './npy-fixtures.js';

const tmp = tempDir('unsure-cli-preds-');
const train = path.join(tmp.dir, 'train');
const out = path.join(tmp.dir, 'scores.csv');
after(tmp.cleanup);

const unsure = (pre: string[], ...args: string[]) => runUnsure(path.join(tmp.dir, 'home'), pre, ...args);

before(() => {
  const mnist = readMnistRaw('train');
  for (let i = 0; i < 12; i++) {
    const dir = path.join(train, i % 2 ? 'odd' : 'even');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${i}.png`), encodeGreyPng(imageAt(mnist.pixels, i), 28, 28));
  }
});

test('flag refusals come before any work (no TensorFlow loaded), exit 2', () => {
  const npy = path.join(tmp.dir, 'p.npy');
  const cases: [string[], RegExp][] = [
    [['--features', npy], /--features is read with --pred-probs, which is missing/],
    [['--pred-probs', npy, '--model', tmp.dir], /--pred-probs and --model are two sources/],
    [['--pred-probs', npy, '--pool', train], /drop --pool/],
    [['--pred-probs', npy, '--classes', 'a'], /--classes must name two or more classes/],
    [['--pred-probs', npy, '--classes', 'a,b,a'], /--classes names 'a' twice/],
    [['--pred-probs', path.join(tmp.dir, 'p.csv'), '--manifest', npy], /--manifest gives the row order of a \.npy/],
  ];
  for (const [flags, re] of cases) {
    const r = unsure(['--import', NO_TENSORFLOW_HOOK], 'score', '--train', train, '--out', out, ...flags);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr, /TensorFlow was imported/);
  }
});

test('a .npy in the order of unsure manifest scores the dataset from the given probabilities', () => {
  const m = unsure([], 'manifest', train);
  const [, ...listed] = parseCsv(m.stdout);
  assert.equal(listed.length, 12);
  // A confident, right prediction per file, in the manifest's order.
  const probs = listed.flatMap((r) => (r[1] === 'even' ? [0.9, 0.1] : [0.1, 0.9]));
  const npy = writeNpy(path.join(tmp.dir, 'good.npy'), probs, { shape: [12, 2] });
  const r = unsure([], 'score', '--train', train, '--out', out, '--pred-probs', npy);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /predictions: .*classes: the dataset's class names, sorted/);
  const [head, ...rows] = parseCsv(readFileSync(out, 'utf8'));
  assert.equal(rows.length, 12);
  const col = (name: string) => head!.indexOf(name);
  // Every file gets the class its row gave it, and a confident right prediction is no label issue.
  for (const row of rows) {
    assert.equal(row[col('predicted')], row[col('label')], row.join(','));
    assert.ok(Number(row[col('label_issue')]) < 0.5, row.join(','));
  }
});

test('a bad .npy is named with its row and the problem', () => {
  const probs = Array.from({ length: 24 }, (_, i) => (i === 6 ? 0.7 : 0.5));
  const npy = writeNpy(path.join(tmp.dir, 'bad.npy'), probs, { shape: [12, 2] });
  const r = unsure([], 'score', '--train', train, '--out', out, '--pred-probs', npy);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.npy row 4: probabilities sum to 1\.20000, not 1/);
  const short = writeNpy(path.join(tmp.dir, 'short.npy'), [0.5, 0.5], { shape: [1, 2] });
  const s = unsure([], 'score', '--train', train, '--out', out, '--pred-probs', short);
  assert.equal(s.code, 1);
  assert.match(s.stderr, /short\.npy: 1 row, but the dataset's manifest \(unsure manifest\) lists 12 files/);
});
