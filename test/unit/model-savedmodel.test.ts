// A TensorFlow SavedModel as the user's own model: loaded through the native binding, its
// 'logits' and 'features' outputs found by name, its classes from labels.txt, and its numbers
// equal to what TensorFlow itself computed (test/fixtures/savedmodel-tiny, made by
// scripts/make-savedmodel-fixture.py). Then `unsure score --model` scores a dataset with it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tf } from '../../src/main/engine/model/tf.js';
import { loadUserModel } from '../../src/main/engine/model/user-model.js';
import { mnistSlice, writeIdxDataset } from '../../bench/fixtures.js';
import { parseCsv } from './export-fixtures.js';
import { tempDir } from './model-fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = path.join(root, 'test', 'fixtures', 'savedmodel-tiny');
const expected = JSON.parse(readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as {
  logits: number[][];
  features: number[][];
};
const tmp = tempDir('unsure-savedmodel-');
after(tmp.cleanup);

/** The fixture script's inputs: pixel (r, c) of input i. */
function pattern(i: number): Float32Array {
  const x = new Float32Array(28 * 28);
  for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) x[r * 28 + c] = ((i * 7 + r * 3 + c * 5) % 17) / 16;
  return x;
}

test('a SavedModel gives its own logits and features, with the classes of labels.txt', async () => {
  const m = await loadUserModel(fixture, ['a', 'b']);
  try {
    assert.equal(m.kind, 'savedmodel');
    assert.deepEqual(m.classifier.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.equal(m.classifier.embeddingDim, 8);
    const x = tf.tensor4d(Float32Array.from([0, 1, 2].flatMap((i) => [...pattern(i)])), [3, 28, 28, 1]);
    const f = tf.tidy(() => {
      const r = m.classifier.forward(x);
      return r.features ? [r.logits, r.features] : [r.logits];
    });
    const out = { logits: f[0]!.arraySync() as number[][], features: (f[1]?.arraySync() as number[][]) ?? null };
    tf.dispose(f);
    x.dispose();
    const close = (a: number[][], b: number[][], what: string) =>
      a.forEach((row, i) =>
        row.forEach((v, j) => assert.ok(Math.abs(v - b[i]![j]!) < 1e-4, `${what}[${i}][${j}] ${v} vs ${b[i]![j]}`)),
      );
    close(out.logits, expected.logits, 'logits');
    assert.ok(out.features, 'the features output is used');
    close(out.features, expected.features, 'features');
  } finally {
    m.classifier.dispose();
  }
});

test('unsure score --model <SavedModel> writes a row per pool sample with its predictions', async () => {
  const train = await writeIdxDataset(path.join(tmp.dir, 'train'), mnistSlice('train', 0, 300));
  const pool = await writeIdxDataset(path.join(tmp.dir, 'pool'), { ...mnistSlice('test', 0, 40), labels: null });
  const out = path.join(tmp.dir, 'scores.csv');
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'src/main/cli.ts'),
      'score',
      '--train',
      train,
      '--pool',
      pool,
      '--out',
      out,
      '--model',
      fixture,
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, UNSURE_HOME: path.join(tmp.dir, 'home') } },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /SavedModel signature 'serving_default'.*logits: output 'logits'/);
  const rows = parseCsv(readFileSync(out, 'utf8'));
  assert.equal(rows.length, 41);
  const head = rows[0]!;
  const body = rows.slice(1);
  const col = (name: string) => body.map((row) => row[head.indexOf(name)]!);
  assert.ok(col('predicted').every((p) => /^\d$/.test(p)));
  assert.ok(col('knn_distance').every((v) => Number.isFinite(Number(v)) && v !== ''));
  // A SavedModel is a black box: no dropout Unsure can sample.
  assert.ok(col('mc_disagreement').every((v) => v === ''));
});
