// The score cache file: everything saved comes back bit for bit (channel statistics and the
// MC-dropout column included, or their absence), and a file of an earlier format (v1: no
// statistics; v2: no MC-dropout column) or with a wrong declared size is ignored rather
// than misread.
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
const nb = (lowLevelDim: number, mc = true): CachedNeighbourhood => ({
  logits: f(3 * 2, 1),
  embeddings: f(3 * 4, -2),
  dim: 4,
  lowLevel: lowLevelDim > 0 ? f(3 * lowLevelDim, 7) : null,
  lowLevelDim,
  mcDisagreement: mc ? Float32Array.from([0, 0.0625, Number.NaN]) : null,
  neighbours: Int32Array.from([1, 2, 0, 2, 0, 1]),
  neighbourSims: f(3 * 2, 0.5),
  k: 2,
});

/** A file laid out as an older saver wrote it: header, then the given arrays. */
function writeOld(file: string, header: object, arrays: (Float32Array | Int32Array)[]): void {
  const json = Buffer.from(JSON.stringify(header));
  const pad = (4 - ((4 + json.length) % 4)) % 4;
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length + pad);
  const body = arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  writeFileSync(file, Buffer.concat([len, json, Buffer.alloc(pad, 0x20), ...body]));
}

test('saved and loaded back exactly, with and without channel statistics and MC column', async () => {
  for (const [dir, low, mc] of [
    ['with', 3, true],
    ['without-stats', 0, true],
    ['without-mc', 3, false],
  ] as const) {
    const project = path.join(tmp.dir, dir);
    await saveScoreCache(project, 'm1', ids, nb(low, mc));
    const back = await loadScoreCache(project, 'm1', ids);
    assert.ok(back);
    assert.deepEqual(back, nb(low, mc));
    assert.equal(back.mcDisagreement === null, !mc);
    assert.equal(await loadScoreCache(project, 'm1', ['a', 'b', 'x']), null, 'other samples');
  }
});

test('statistics or an MC column of the wrong size are refused on save', async () => {
  await assert.rejects(
    saveScoreCache(path.join(tmp.dir, 'bad'), 'm1', ids, { ...nb(3), lowLevel: f(5, 0) }),
    /5 low-level values for 3 samples x 3/,
  );
  await assert.rejects(
    saveScoreCache(path.join(tmp.dir, 'bad'), 'm1', ids, { ...nb(3), mcDisagreement: f(2, 0) }),
    /2 MC-dropout scores for 3 samples/,
  );
});

test('files of the earlier formats are ignored', async () => {
  const project = path.join(tmp.dir, 'old');
  await saveScoreCache(project, 'm1', ids, nb(3)); // creates the folder and a current file
  const file = path.join(project, 'scores', 'm1.bin');
  assert.ok(await loadScoreCache(project, 'm1', ids));
  const common = { modelVersion: 'm1', samplesHash: samplesHashOf(ids), n: 3, numClasses: 2, dim: 4, k: 2 };
  const x = nb(3);
  const withStats = [x.logits, x.embeddings, x.lowLevel!, x.neighbours, x.neighbourSims];
  const layouts: [string, object, (Float32Array | Int32Array)[]][] = [
    // v1: no statistics.
    ['v1', { magic: 'unsure-score-cache-v1', ...common }, [x.logits, x.embeddings, x.neighbours, x.neighbourSims]],
    // v2: statistics but no MC column. Read with the v3 layout its neighbours would be
    // shifted by n values; it must be refused, not misread.
    ['v2', { magic: 'unsure-score-cache-v2', ...common, lowLevelDim: 3 }, withStats],
    // The same v2 payload under a v3 magic without hasMc is refused too.
    ['v2 payload as v3', { magic: 'unsure-score-cache-v3', ...common, lowLevelDim: 3 }, withStats],
  ];
  for (const [what, header, payload] of layouts) {
    writeOld(file, header, payload);
    assert.equal(await loadScoreCache(project, 'm1', ids), null, what);
  }
});

test('a header whose declared sizes disagree with the payload is ignored', async () => {
  const project = path.join(tmp.dir, 'sizes');
  const file = path.join(project, 'scores', 'm1.bin');
  for (const [from, to] of [
    ['"lowLevelDim":3', '"lowLevelDim":2'],
    ['"hasMc":true', '"hasMc":null'],
  ]) {
    assert.ok(from !== undefined && to !== undefined);
    await saveScoreCache(project, 'm1', ids, nb(3));
    const buf = readFileSync(file);
    const hlen = buf.readUInt32LE(0);
    const h = buf.subarray(4, 4 + hlen).toString('utf8');
    assert.ok(h.includes(from), h);
    // Same length, so the payload stays where it was; only the declared size is wrong.
    const wrong = Buffer.from(h.replace(from, to.padEnd(from.length, ' ')));
    assert.equal(wrong.length, hlen);
    writeFileSync(file, Buffer.concat([buf.subarray(0, 4), wrong, buf.subarray(4 + hlen)]));
    assert.equal(await loadScoreCache(project, 'm1', ids), null, `${from} -> ${to}`);
  }
  // hasMc false while the payload holds the column: the total size no longer fits.
  await saveScoreCache(project, 'm1', ids, nb(3));
  const buf = readFileSync(file);
  const hlen = buf.readUInt32LE(0);
  const h = buf.subarray(4, 4 + hlen).toString('utf8');
  const wrong = Buffer.from(h.replace('"hasMc":true', '"hasMc":false').padEnd(hlen, ' '));
  writeFileSync(file, Buffer.concat([buf.subarray(0, 4), wrong.subarray(0, hlen), buf.subarray(4 + hlen)]));
  assert.equal(await loadScoreCache(project, 'm1', ids), null);
});
