// The .npy reader on real files: dtypes, versions, Fortran order, and the errors that name
// the file and the problem.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { readNpyMatrix } from '../../src/main/engine/datasets/npy.js';
import { tempDir } from './model-fixtures.js';
import { encodeNpy, writeNpy } from './npy-fixtures.js';

const tmp = tempDir('unsure-npy-');
after(tmp.cleanup);
const at = (name: string) => path.join(tmp.dir, name);
const M = [0.25, 0.75, 1, 0, 0.5, 0.5];

for (const descr of ['<f4', '<f8', '>f4'] as const) {
  test(`a 3 x 2 '${descr}' array reads as float32 rows`, async () => {
    const m = await readNpyMatrix(writeNpy(at(`m${descr.replace(/\W/g, '')}.npy`), M, { descr, shape: [3, 2] }), 'p');
    assert.deepEqual([m.rows, m.cols, m.dtype], [3, 2, descr]);
    assert.deepEqual([...m.data], M);
  });
}

test("an int64 array ('<i8') and a version 2 header read", async () => {
  const m = await readNpyMatrix(writeNpy(at('i8.npy'), [1, 2, 3, 4], { descr: '<i8', shape: [2, 2], version: 2 }), 'x');
  assert.deepEqual([...m.data], [1, 2, 3, 4]);
});

test('a Fortran-order array is transposed into C order', async () => {
  // Column-major storage of [[1, 2, 3], [4, 5, 6]].
  const m = await readNpyMatrix(writeNpy(at('f.npy'), [1, 4, 2, 5, 3, 6], { shape: [2, 3], fortran: true }), 'x');
  assert.deepEqual([m.rows, m.cols], [2, 3]);
  assert.deepEqual([...m.data], [1, 2, 3, 4, 5, 6]);
});

test('errors name the file and the problem', async () => {
  const bad = at('bad.npy');
  writeFileSync(bad, 'path,a\nx.png,1\n');
  await assert.rejects(readNpyMatrix(bad, 'p'), (e: Error) => e.message.includes(bad) && /bad magic/.test(e.message));
  const flat = writeNpy(at('flat.npy'), [0.5, 0.5]);
  await assert.rejects(
    readNpyMatrix(flat, 'probabilities'),
    /flat\.npy: probabilities must be a 2-D array .*1-D shape \(2\)/,
  );
  const u1 = writeNpy(at('u1.npy'), [1, 2], { descr: '|u1', shape: [1, 2] });
  assert.deepEqual([...(await readNpyMatrix(u1, 'x')).data], [1, 2]);
  const cut = writeNpy(at('cut.npy'), M, { shape: [3, 2], cut: 5 });
  await assert.rejects(
    readNpyMatrix(cut, 'p'),
    /cut\.npy: truncated data: shape \(3, 2\) of '<f4' needs 24 bytes, the file holds 19/,
  );
  await assert.rejects(readNpyMatrix(at('none.npy'), 'p'), /none\.npy: file not found/);
});

test("a dtype that is not a number ('<U4') is refused by name", async () => {
  const file = at('str.npy');
  const bytes = encodeNpy([1, 2], { shape: [1, 2] });
  bytes.write("'<U4'", bytes.indexOf("'<f4'"), 'latin1');
  writeFileSync(file, bytes);
  await assert.rejects(
    readNpyMatrix(file, 'features'),
    /str\.npy: dtype '<U4' is not a number type Unsure reads for features/,
  );
});
