// The score cache file: everything saved comes back bit for bit (channel statistics
// included, or their absence), and a file of the earlier format (no statistics) or with
// the wrong statistics size is ignored rather than misread.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  loadScoreCache,
  saveScoreCache,
  samplesHashOf,
  type CachedNeighbourhood,
} from '../../src/main/engine/pipeline/score-cache.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir('unsure-score-cache-unit-');
after(tmp.cleanup);

const ids = ['a', 'b', 'c'];
const f = (n: number, s: number) => Float32Array.from({ length: n }, (_, i) => s + i * 0.25);
const nb = (lowLevelDim: number): CachedNeighbourhood => ({
  logits: f(3 * 2, 1),
  embeddings: f(3 * 4, -2),
  dim: 4,
  lowLevel: lowLevelDim > 0 ? f(3 * lowLevelDim, 7) : null,
  lowLevelDim,
  neighbours: Int32Array.from([1, 2, 0, 2, 0, 1]),
  neighbourSims: f(3 * 2, 0.5),
  k: 2,
});

test('saved and loaded back exactly, with and without channel statistics', async () => {
  for (const [dir, low] of [
    ['with', 3],
    ['without', 0],
  ] as const) {
    const project = path.join(tmp.dir, dir);
    await saveScoreCache(project, 'm1', ids, nb(low));
    const back = await loadScoreCache(project, 'm1', ids);
    assert.ok(back);
    assert.deepEqual(back, nb(low));
    assert.equal(await loadScoreCache(project, 'm1', ['a', 'b', 'x']), null, 'other samples');
  }
});

test('statistics of the wrong size are refused on save', async () => {
  await assert.rejects(
    saveScoreCache(path.join(tmp.dir, 'bad'), 'm1', ids, { ...nb(3), lowLevel: f(5, 0) }),
    /5 low-level values for 3 samples x 3/,
  );
});

test('a file of the earlier format is ignored', async () => {
  const project = path.join(tmp.dir, 'v1');
  // Format v1: header without lowLevelDim, then logits, embeddings, neighbours, sims.
  const header = Buffer.from(
    JSON.stringify({
      magic: 'unsure-score-cache-v1',
      modelVersion: 'm1',
      samplesHash: samplesHashOf(ids),
      n: 3,
      numClasses: 2,
      dim: 4,
      k: 2,
    }),
  );
  const pad = (4 - ((4 + header.length) % 4)) % 4;
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length + pad);
  const x = nb(0);
  const body = [x.logits, x.embeddings, x.neighbours, x.neighbourSims].map((a) => Buffer.from(a.buffer));
  await saveScoreCache(project, 'm1', ids, nb(3)); // creates the folder and a v2 file
  const file = path.join(project, 'scores', 'm1.bin');
  assert.ok(await loadScoreCache(project, 'm1', ids));
  writeFileSync(file, Buffer.concat([len, header, Buffer.alloc(pad, 0x20), ...body]));
  assert.equal(await loadScoreCache(project, 'm1', ids), null);
  // A v2 header whose statistics size disagrees with the payload is ignored too.
  await saveScoreCache(project, 'm1', ids, nb(3));
  const buf = readFileSync(file);
  const hlen = buf.readUInt32LE(0);
  const h = buf.subarray(4, 4 + hlen).toString('utf8');
  assert.ok(h.includes('"lowLevelDim":3'));
  // Same length, so the payload stays where it was; only the declared size is wrong.
  const wrong = Buffer.from(h.replace('"lowLevelDim":3', '"lowLevelDim":2'));
  writeFileSync(file, Buffer.concat([buf.subarray(0, 4), wrong, buf.subarray(4 + hlen)]));
  assert.equal(await loadScoreCache(project, 'm1', ids), null);
});
