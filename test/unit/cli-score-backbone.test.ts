// `unsure score --backbone <folder>` with models that are not a MobileNetV2: a PyTorch CNN
// exported to ONNX (preprocessing from its preprocessor_config.json) and a Keras SavedModel
// (scaling given as flags) run over colour photos, and a head is trained on their features
// for the dataset's own classes (not the CIFAR classes the models were trained for).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeColourFixture, type ColourFixture } from '../e2e/colour-fixtures.js';
import { runUnsure } from './cli-run.js';
import { parseCsv } from './export-fixtures.js';
import { tempDir } from './model-fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.join(root, 'test', 'fixtures');
const tmp = tempDir('unsure-cli-backbone-');
after(tmp.cleanup);
let data: ColourFixture;

before(async () => {
  data = await makeColourFixture(path.join(tmp.dir, 'photos'), { perClass: 12, poolPerClass: 5, poolDistractors: 4 });
});

function scoreWith(name: string, ...flags: string[]) {
  const out = path.join(tmp.dir, `${name}.csv`);
  const r = runUnsure(
    path.join(tmp.dir, `home-${name}`),
    [],
    'score',
    '--train',
    data.train,
    '--pool',
    data.pool,
    '--out',
    out,
    ...flags,
  );
  return { ...r, out };
}

function assertHeadOnDatasetClasses(out: string): void {
  const rows = parseCsv(readFileSync(out, 'utf8'));
  const head = rows[0]!;
  const col = (row: string[], name: string) => row[head.indexOf(name)]!;
  const pool = rows.slice(1).filter((r) => col(r, 'split') === 'pool');
  assert.equal(pool.length, data.truth.size);
  for (const r of pool) assert.ok(data.classes.includes(col(r, 'predicted')), `predicted ${col(r, 'predicted')}`);
  const known = pool.filter((r) => data.truth.get(path.basename(col(r, 'path'))) !== 'distractor');
  const right = known.filter((r) => col(r, 'predicted') === data.truth.get(path.basename(col(r, 'path'))));
  // Four classes of flat colours and shapes, 12 photos each: a head on an image network's
  // features learns them well above chance (25%) even on the fixtures' small networks.
  assert.ok(right.length >= 0.6 * known.length, `${right.length} of ${known.length} pool photos right`);
}

test('an ONNX model as the backbone: its features, its preprocessor_config.json, a head for the dataset classes', () => {
  const r = scoreWith('onnx', '--backbone', path.join(fixtures, 'onnx-cifar'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /ONNX model model\.onnx/);
  assert.match(r.stderr, /used as the backbone/);
  assertHeadOnDatasetClasses(r.out);
});

test('a SavedModel as the backbone, its scaling given as flags', () => {
  const r = scoreWith(
    'savedmodel',
    '--backbone',
    path.join(fixtures, 'savedmodel-cifar'),
    '--rescale-factor',
    String(1 / 255),
    '--no-normalize',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /SavedModel/);
  assertHeadOnDatasetClasses(r.out);
});

test('a backbone that cannot run is refused with what to declare; --arch cnn with --backbone is a usage error', () => {
  // The SavedModel declares no preprocessing of its own.
  const r = scoreWith('undeclared', '--backbone', path.join(fixtures, 'savedmodel-cifar'));
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Backbone .*savedmodel-cifar.*cannot tell how the model's input/);
  const u = scoreWith('both', '--backbone', path.join(fixtures, 'onnx-cifar'), '--arch', 'cnn');
  assert.equal(u.code, 2);
  assert.match(u.stderr, /--arch cnn asks for none/);
});
