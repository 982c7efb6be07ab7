// listDatasetFiles (what `unsure manifest` prints) on real files: a CSV manifest's order, a
// file listed twice, and the files the loaders refuse without decoding left out as they are.
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { listDatasetFiles } from '../../src/main/engine/datasets/list-files.js';
import { loadDataset } from '../../src/main/engine/datasets/index.js';
import { mnistDigit, tempDir, writeFile, writeGreyPng } from './datasets-fixtures.js';

const tmp = tempDir('unsure-list-');
after(tmp.cleanup);

test("a CSV manifest's files in its order; links out and missing files left out as the loader leaves them", async () => {
  const root = path.join(tmp.dir, 'csv');
  for (let i = 0; i < 6; i++) writeGreyPng(path.join(root, 'img', `${i}.png`), mnistDigit(i).pixels);
  const outside = writeGreyPng(path.join(tmp.dir, 'outside.png'), mnistDigit(9).pixels);
  symlinkSync(outside, path.join(root, 'img', 'out.png'));
  const manifest = writeFile(
    path.join(root, 'm.csv'),
    'path,label\nimg/5.png,a\nimg/0.png,b\nimg/out.png,a\nimg/3.png,\nimg/gone.png,a\nimg/0.png,b\nimg/1.png,a\nimg/2.png,b\n',
  );
  const listed = await listDatasetFiles(manifest);
  assert.deepEqual(
    listed.map((f) => `${f.path}:${f.label ?? ''}`),
    ['img/5.png:a', 'img/0.png:b', 'img/3.png:', 'img/0.png:b', 'img/1.png:a', 'img/2.png:b'],
  );
  // The loader reads the same files, in the same order (the repeat is a copy of its sample).
  const ds = await loadDataset(manifest);
  const copies = ds.copies.flatMap((g) => g.files.map((f) => ({ at: f.at, path: f.path })));
  const own = ds.samples.filter((_, i) => !ds.copies.some((g) => g.sample === i)).map((s) => s.path);
  // Fill the copies' places first, then the samples in order (pipeline/file-rows.ts does the same).
  const rows: string[] = new Array<string>(copies.length + own.length);
  for (const c of copies) rows[c.at] = c.path;
  let o = 0;
  for (let i = 0; i < rows.length; i++) if (rows[i] === undefined) rows[i] = own[o++]!;
  assert.deepEqual(
    rows,
    listed.map((f) => f.path),
  );
  assert.equal(ds.skipped.length, 2);
});
