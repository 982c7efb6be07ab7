// The row cache round-trips rows and logits, and a file that is cut short, names another
// extractor or is not one is read as no cache (so the rows are computed again), never as rows.
import assert from 'node:assert/strict';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadRowCache, rowCacheFile, saveRowCache } from '../../src/main/engine/pipeline/row-cache.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir('unsure-row-cache-');
after(tmp.cleanup);

test('rows and logits round-trip; a cut, foreign or garbage file is no cache', async () => {
  const rows = {
    dim: 3,
    logitsDim: 2,
    ids: ['a1', 'b2', 'c3'],
    features: Float32Array.from({ length: 9 }, (_, i) => i / 7),
    logits: Float32Array.from({ length: 6 }, (_, i) => -i),
  };
  await saveRowCache(tmp.dir, 'net@1', rows);
  const back = await loadRowCache(tmp.dir, 'net@1');
  assert.ok(back);
  assert.deepEqual(back.ids, rows.ids);
  assert.deepEqual(Array.from(back.features), Array.from(rows.features));
  assert.deepEqual(Array.from(back.logits), Array.from(rows.logits));
  assert.equal(back.features.byteOffset % 4, 0);
  assert.equal(await loadRowCache(tmp.dir, 'other-net'), null);
  assert.equal(await loadRowCache(path.join(tmp.dir, 'nowhere'), 'net@1'), null);
  const file = rowCacheFile(tmp.dir, 'net@1');
  const size = readFileSync(file).length;
  truncateSync(file, size - 4);
  assert.equal(await loadRowCache(tmp.dir, 'net@1'), null, 'a file cut short');
  writeFileSync(file, Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 2, 3]));
  assert.equal(await loadRowCache(tmp.dir, 'net@1'), null, 'a header length past the end');
});
