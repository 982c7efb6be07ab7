import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseCsv } from '../../src/main/engine/datasets/csv.js';
import { loadDataset } from '../../src/main/engine/datasets/load-dataset.js';
import { DatasetError } from '../../src/main/engine/types.js';
import { imageAt, mnistDigit, tempDir, writeFile, writeGreyPng } from './datasets-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);

async function rejectsWith(path: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadDataset(path), (err: Error) => {
    assert.ok(err instanceof DatasetError, `expected a DatasetError, got ${err.name}: ${err.message}`);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('parseCsv', () => {
  test('quoted fields hold commas, doubled quotes and newlines; CRLF and a BOM are handled', () => {
    const text = '\ufeffpath,label\r\n"a, b.png",3\r\n"say ""hi"".png",\r\n"two\nlines.png",x\n\nlast.png,7';
    assert.deepEqual(parseCsv(text), [
      { line: 1, fields: ['path', 'label'] },
      { line: 2, fields: ['a, b.png', '3'] },
      { line: 3, fields: ['say "hi".png', ''] },
      { line: 4, fields: ['two\nlines.png', 'x'] },
      { line: 7, fields: ['last.png', '7'] },
    ]);
  });

  test('an unterminated quote is an error naming its line', () => {
    assert.throws(() => parseCsv('path,label\n"open.png,3\n'), /unterminated quoted field starting on line 2/);
  });
});

describe('CSV manifests', () => {
  const root = join(tmp.dir, 'manifest');
  before(() => {
    writeGreyPng(join(root, 'imgs', 'a, b.png'), mnistDigit(0).pixels);
    writeGreyPng(join(root, 'imgs', 'c.png'), mnistDigit(1).pixels);
    writeGreyPng(join(root, 'imgs', 'd.png'), mnistDigit(2).pixels);
    writeGreyPng(join(root, 'e.png'), mnistDigit(3).pixels);
  });

  test('rows become samples in file order, paths as written, empty label = unlabeled', async () => {
    const manifest = writeFile(
      join(root, 'labels.csv'),
      `LABEL , Path\r\n7,"imgs/a, b.png"\r\n,imgs/c.png\r\nother,./imgs/d.png\r\n10,${join(root, 'e.png')}\r\n`,
    );
    const ds = await loadDataset(manifest, { centre: false });
    assert.equal(ds.kind, 'csv');
    assert.equal(ds.root, root);
    assert.deepEqual(
      ds.samples.map((s) => [s.path, s.label, s.file]),
      [
        ['imgs/a, b.png', '7', join(root, 'imgs', 'a, b.png')],
        ['imgs/c.png', null, join(root, 'imgs', 'c.png')],
        ['./imgs/d.png', 'other', join(root, 'imgs', 'd.png')],
        [join(root, 'e.png'), '10', join(root, 'e.png')],
      ],
    );
    assert.deepEqual(ds.classes, ['7', '10']);
    assert.deepEqual(imageAt(ds.pixels, 1), mnistDigit(1).pixels);
  });

  test('a manifest with only a path column is an unlabeled pool; a folder holding only a CSV opens it', async () => {
    const dir = join(tmp.dir, 'only-csv');
    writeGreyPng(join(dir, 'imgs', 'q.png'), mnistDigit(9).pixels);
    writeFile(join(dir, 'pool.csv'), 'path\nimgs/q.png\n');
    // The folder holds a subfolder of images, so point at the CSV for the pool...
    const pool = await loadDataset(join(dir, 'pool.csv'));
    assert.deepEqual(
      pool.samples.map((s) => s.label),
      [null],
    );
    // ...and a folder with nothing but a manifest is read through it.
    const bare = join(tmp.dir, 'bare');
    writeFile(join(bare, 'm.csv'), `path,label\n${join('..', 'only-csv', 'imgs', 'q.png')},1\n`);
    await rejectsWith(bare, /m\.csv line 2: path "\.\.\/only-csv\/imgs\/q\.png" is outside the manifest's folder/);
  });

  test('missing or misnamed columns are named; extra columns beside path,label are ignored', async () => {
    await rejectsWith(
      writeFile(join(root, 'bad1.csv'), 'path,colour\nimgs/c.png,1\n'),
      /bad1\.csv: no "label" column, unknown column "colour" in header "path,colour"/,
    );
    await rejectsWith(
      writeFile(join(root, 'bad2.csv'), 'name,colour\nimgs/c.png,1\n'),
      /bad2\.csv: missing column "path" \(unknown columns "name", "colour"\) in header "name,colour"/,
    );
    await rejectsWith(writeFile(join(root, 'bad3.csv'), ''), /bad3\.csv is empty/);
    await rejectsWith(writeFile(join(root, 'bad4.csv'), 'path,label\n'), /bad4\.csv lists no images/);
    await rejectsWith(
      writeFile(join(root, 'bad5.csv'), 'path,label,label\nimgs/c.png,1,2\n'),
      /bad5\.csv: column "label" appears twice/,
    );
    /** The (path, label) rows a manifest of this text reads as. */
    const rowsOf = async (name: string, text: string) =>
      (await loadDataset(writeFile(join(root, name), text))).samples.map((s) => [s.path, s.label]);
    // Other tools' names for the two columns, in any case and order, beside columns of their own.
    assert.deepEqual(await rowsOf('kaggle.csv', 'Split,Class,FileName\ntrain,1,imgs/c.png\ntrain,,imgs/d.png\n'), [
      ['imgs/c.png', '1'],
      ['imgs/d.png', null],
    ]);
    // Windows separators in a manifest read as folders.
    const windows = await loadDataset(writeFile(join(root, 'windows.csv'), 'path,label\nimgs\\c.png,1\n'));
    assert.deepEqual(
      windows.samples.map((s) => [s.path, s.file]),
      [['imgs/c.png', join(root, 'imgs', 'c.png')]],
    );
    // "path" and "label" win over another name for them.
    assert.deepEqual(await rowsOf('both.csv', 'file,path,category,label\nx.png,imgs/c.png,9,1\n'), [
      ['imgs/c.png', '1'],
    ]);
    // An export's manifest carries audit columns after path,label.
    assert.deepEqual(
      await rowsOf('audit.csv', 'path,label,id,decision\nimgs/c.png,1,abc,relabel\nimgs/d.png,,def,\n'),
      [
        ['imgs/c.png', '1'],
        ['imgs/d.png', null],
      ],
    );
  });

  test("bare file names of one subfolder are read there (Kaggle's train.csv beside train/)", async () => {
    const dir = join(tmp.dir, 'kaggle');
    writeGreyPng(join(dir, 'train', 'c.png'), mnistDigit(1).pixels);
    writeGreyPng(join(dir, 'train', 'd.png'), mnistDigit(2).pixels);
    writeGreyPng(join(dir, 'test', 'x.png'), mnistDigit(3).pixels);
    const ds = await loadDataset(writeFile(join(dir, 'train.csv'), 'filename,label\nc.png,1\nd.png,2\n'));
    assert.equal(ds.root, dir);
    assert.deepEqual(
      ds.samples.map((s) => [s.path, s.file]),
      [
        ['train/c.png', join(dir, 'train', 'c.png')],
        ['train/d.png', join(dir, 'train', 'd.png')],
      ],
    );
    // Names found in two subfolders are ambiguous: read beside the manifest, as written.
    writeGreyPng(join(dir, 'test', 'c.png'), mnistDigit(1).pixels);
    await rejectsWith(
      writeFile(join(dir, 'two.csv'), 'path,label\nc.png,1\n'),
      /two\.csv line 2 \("c\.png"\): file not found/,
    );
  });

  test('rows that escape the root, miss a file or have the wrong field count are named by line', async () => {
    await rejectsWith(
      writeFile(join(root, 'esc1.csv'), 'path,label\nimgs/c.png,1\n../outside.png,2\n'),
      /esc1\.csv line 3: path "\.\.\/outside\.png" is outside/,
    );
    await rejectsWith(
      writeFile(join(root, 'esc2.csv'), 'path,label\n/etc/passwd,1\n'),
      /esc2\.csv line 2: path "\/etc\/passwd" is outside/,
    );
    await rejectsWith(
      writeFile(join(root, 'esc3.csv'), 'path,label\nimgs/../../x.png,1\n'),
      /esc3\.csv line 2: path "imgs\/\.\.\/\.\.\/x\.png" is outside/,
    );
    // A missing file is one bad row: skipped and named, the rest loads.
    const gone = await loadDataset(writeFile(join(root, 'gone.csv'), 'path,label\nimgs/c.png,1\nimgs/nope.png,2\n'));
    assert.deepEqual(
      gone.samples.map((s) => s.path),
      ['imgs/c.png'],
    );
    assert.equal(gone.skipped.length, 1);
    assert.match(gone.skipped[0]!.path, /gone\.csv line 3 \("imgs\/nope\.png"\)/);
    assert.match(gone.skipped[0]!.reason, /file not found/);
    await rejectsWith(
      writeFile(join(root, 'ragged.csv'), 'path,label\nimgs/c.png,1,extra\n'),
      /ragged\.csv line 2: 3 fields, the header has 2/,
    );
    await rejectsWith(writeFile(join(root, 'blank.csv'), 'path,label\n ,1\n'), /blank\.csv line 2: empty path/);
    await rejectsWith(
      writeFile(join(root, 'quote.csv'), 'path,label\n"imgs/c.png,1\n'),
      /quote\.csv: unterminated quoted field starting on line 2/,
    );
  });

  test('the same file listed twice is a duplicate, and a conflict when its labels differ', async () => {
    const ds = await loadDataset(
      writeFile(join(root, 'twice.csv'), 'path,label\nimgs/c.png,1\nimgs/d.png,2\nimgs/c.png,3\n'),
    );
    assert.deepEqual(
      ds.samples.map((s) => s.path),
      ['imgs/c.png', 'imgs/d.png'],
    );
    assert.deepEqual(
      ds.copies.map((g) => ({
        sample: g.sample,
        files: g.files.map((f) => [f.path, f.label, f.at]),
        conflict: g.conflict,
      })),
      [
        {
          sample: 0,
          files: [
            ['imgs/c.png', '1', 0],
            ['imgs/c.png', '3', 2],
          ],
          conflict: true,
        },
      ],
    );
    // Training takes neither label until a reviewer decides.
    assert.equal(ds.samples[0]!.label, null);
    assert.deepEqual(ds.classes, ['2']);
  });
});
