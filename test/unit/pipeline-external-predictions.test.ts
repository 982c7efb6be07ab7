// readPredictions on real .npy and CSV files in a temp folder: rows matched to the dataset's
// files, columns to its classes, and every bad file refused with its name and the problem.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { readPredictions, type PredictionsSpec } from '../../src/main/engine/pipeline/external-predictions.js';
import { externalExtractorRows } from '../../src/main/engine/pipeline/external-rows.js';
import { tempDir } from './model-fixtures.js';
import { writeNpy } from './npy-fixtures.js';

const tmp = tempDir('unsure-preds-');
after(tmp.cleanup);
let n = 0;
/** A fresh folder per case, so a classes.json in one does not reach another. */
function dir(): string {
  const d = path.join(tmp.dir, String(n++));
  mkdirSync(d, { recursive: true });
  return d;
}

const files = [
  { path: 'cat/1.png', label: 'cat' },
  { path: 'dog/2.png', label: 'dog' },
  { path: 'cat/3.png', label: 'cat' },
];
const base = (over: Partial<PredictionsSpec>): PredictionsSpec => ({
  predProbs: '',
  files,
  datasetClasses: ['cat', 'dog'],
  ...over,
});
const P = [0.9, 0.1, 0.2, 0.8, 0.6, 0.4];

test('a .npy in the dataset order, classes from the dataset sorted', async () => {
  const d = dir();
  const r = await readPredictions(base({ predProbs: writeNpy(path.join(d, 'p.npy'), P, { shape: [3, 2] }) }));
  assert.deepEqual(
    [...r.probs].map((v) => +v.toFixed(4)),
    P,
  );
  assert.deepEqual(r.classes, ['cat', 'dog']);
  assert.equal(r.classSource, "the dataset's class names, sorted");
  assert.equal(r.features, null);
});

test('a CSV is matched by path (any order, ./ and \\ allowed) and read by class name', async () => {
  const d = dir();
  const csv = path.join(d, 'p.csv');
  writeFileSync(csv, 'path,dog,cat\n./cat/3.png,0.4,0.6\ndog\\2.png,0.8,0.2\ncat/1.png,0.1,0.9\n');
  const r = await readPredictions(base({ predProbs: csv }));
  assert.deepEqual(r.classes, ['dog', 'cat']);
  assert.match(r.classSource, /column names of p\.csv/);
  assert.deepEqual(
    [...r.probs].map((v) => +v.toFixed(4)),
    [0.1, 0.9, 0.8, 0.2, 0.4, 0.6],
  );
  // --classes reorders named columns.
  const o = await readPredictions(base({ predProbs: csv, classes: ['cat', 'dog'] }));
  assert.equal(o.classSource, '--classes');
  assert.deepEqual(
    [...o.probs].map((v) => +v.toFixed(4)),
    P,
  );
});

test('a .npy follows --manifest, with features; classes.json next to it gives the columns', async () => {
  const d = dir();
  const manifest = path.join(d, 'm.csv');
  writeFileSync(manifest, 'path,label\ndog/2.png,dog\ncat/3.png,cat\ncat/1.png,cat\n');
  writeFileSync(path.join(d, 'classes.json'), '["dog", "cat"]');
  const probs = writeNpy(path.join(d, 'p.npy'), [0.8, 0.2, 0.4, 0.6, 0.1, 0.9], { shape: [3, 2], descr: '<f8' });
  const feats = writeNpy(path.join(d, 'f.npy'), [2, 2, 2, 3, 3, 3, 1, 1, 1], { shape: [3, 3] });
  const r = await readPredictions(base({ predProbs: probs, features: feats, manifest }));
  assert.equal(r.classSource, 'classes.json next to p.npy');
  assert.deepEqual(r.classes, ['dog', 'cat']);
  assert.deepEqual(
    [...r.probs].map((v) => +v.toFixed(4)),
    [0.1, 0.9, 0.8, 0.2, 0.4, 0.6],
  );
  assert.equal(r.dim, 3);
  assert.deepEqual([...r.features!], [1, 1, 1, 2, 2, 2, 3, 3, 3]);
});

test('rows for files the dataset skipped are left out with a note', async () => {
  const d = dir();
  const csv = path.join(d, 'p.csv');
  writeFileSync(csv, 'path,cat,dog\ncat/1.png,0.9,0.1\nbroken.png,0.5,0.5\ndog/2.png,0.2,0.8\ncat/3.png,0.6,0.4\n');
  const r = await readPredictions(base({ predProbs: csv, skipped: ['broken.png'] }));
  assert.match(r.notes.join('\n'), /1 row left out: the dataset skipped their files \("broken\.png"\)/);
  // Without the skip, the same row is an error.
  await assert.rejects(
    readPredictions(base({ predProbs: csv })),
    /p\.csv: 1 row names no file of the dataset: "broken\.png"/,
  );
});

test('bad files are refused with the file, the row and the problem', async () => {
  const d = dir();
  const csv = (name: string, text: string) => {
    const f = path.join(d, name);
    writeFileSync(f, text);
    return f;
  };
  const rej = (over: Partial<PredictionsSpec>, re: RegExp) => assert.rejects(readPredictions(base(over)), re);
  await rej(
    { predProbs: csv('miss.csv', 'path,cat,dog\ncat/1.png,0.9,0.1\ndog/2.png,0.2,0.8\n') },
    /miss\.csv: no row for 1 of the dataset's 3 files: "cat\/3\.png"/,
  );
  await rej(
    {
      predProbs: csv(
        'rep.csv',
        'path,cat,dog\ncat/1.png,0.9,0.1\ncat/1.png,0.9,0.1\ndog/2.png,0.2,0.8\ncat/3.png,0.6,0.4\n',
      ),
    },
    /rep\.csv: 1 path given more often than the dataset holds the file: "cat\/1\.png"/,
  );
  await rej(
    { predProbs: csv('sum.csv', 'path,cat,dog\ncat/1.png,0.9,0.1\ndog/2.png,2.2,0.8\ncat/3.png,0.6,0.4\n') },
    /sum\.csv line 3: probabilities sum to 3\.00000, not 1/,
  );
  await rej(
    { predProbs: csv('nan.csv', 'path,cat,dog\ncat/1.png,NaN,0.1\ndog/2.png,0.2,0.8\ncat/3.png,0.6,0.4\n') },
    /nan\.csv line 2: probability column "cat" is NaN/,
  );
  await rej(
    { predProbs: csv('neg.csv', 'path,cat,dog\ncat/1.png,1.1,-0.1\ndog/2.png,0.2,0.8\ncat/3.png,0.6,0.4\n') },
    /neg\.csv line 2: probability column "dog" is -0\.1\d*, below 0/,
  );
  await rej(
    { predProbs: csv('text.csv', 'path,cat,dog\ncat/1.png,high,0.1\n') },
    /text\.csv line 2: column "cat" is "high", not a number/,
  );
  await rej({ predProbs: csv('nopath.csv', 'file,cat,dog\ncat/1.png,0.9,0.1\n') }, /nopath\.csv: no "path" column/);
  const three = writeNpy(path.join(d, 'three.npy'), [0.2, 0.3, 0.5, 0.2, 0.3, 0.5, 0.2, 0.3, 0.5], { shape: [3, 3] });
  await rej(
    { predProbs: three },
    /three\.npy: 3 probability columns, but the dataset's classes names 2 classes \(cat, dog\)/,
  );
  await rej(
    { predProbs: writeNpy(path.join(d, 'short.npy'), [0.5, 0.5, 0.5, 0.5], { shape: [2, 2] }) },
    /short\.npy: 2 rows, but the dataset's files lists 3 files/,
  );
  await rej(
    { predProbs: writeNpy(path.join(d, 'inf.npy'), [0.5, 0.5, Infinity, 0, 1, 0], { shape: [3, 2] }) },
    /inf\.npy row 2: probability column 1 is Infinity/,
  );
  const ok = writeNpy(path.join(d, 'ok.npy'), P, { shape: [3, 2] });
  await rej(
    { predProbs: ok, classes: ['cat', 'bird'] },
    /ok\.npy: the classes of --classes \(cat, bird\) are not the dataset's \(cat, dog\); not in the dataset: bird; missing: dog/,
  );
  await rej(
    { predProbs: ok, features: writeNpy(path.join(d, 'f2.npy'), [1, 2], { shape: [2, 1] }) },
    /f2\.npy: 2 feature rows, but .*ok\.npy has 3 probability rows/,
  );
  await rej({ predProbs: path.join(d, 'p.txt') }, /p\.txt: probabilities must be a \.npy or \.csv file/);
});

test("externalExtractorRows: log p per sample, copies take the first file's row", async () => {
  const d = dir();
  const r = await readPredictions(
    base({ predProbs: writeNpy(path.join(d, 'p.npy'), [0.9, 0.1, 0.2, 0.8, 0.5, 0.5], { shape: [3, 2] }) }),
  );
  // Files 0 and 2 are copies of sample 0.
  const rows = externalExtractorRows(r, [0, 1, 0], 2);
  assert.equal(rows.logits.length, 4);
  assert.ok(Math.abs(rows.logits[0]! - Math.log(0.9)) < 1e-6);
  assert.ok(Math.abs(rows.logits[3]! - Math.log(0.8)) < 1e-6);
  assert.match(rows.notes.join('\n'), /1 file with the same bytes as an earlier one got different predictions/);
  assert.equal(rows.features, null);
});
