// Scores kept in the project folder: a second launch with the same model and samples skips
// embedding and the neighbour search and gets the same table; a damaged or foreign cache is
// ignored (recomputed), never an error. Small real MNIST slices through Engine.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../src/main/engine/engine.js';
import type { ScoreTable } from '../../src/main/engine/engine-types.js';
import { tempDir } from './model-fixtures.js';
import { writeMnistSlice } from './mnist-slices.js';

const tmp = tempDir('unsure-score-cache-');
const project = path.join(tmp.dir, 'project');

const train = path.join(tmp.dir, 'train');
const pool = path.join(tmp.dir, 'pool');
const otherPool = path.join(tmp.dir, 'pool2');
let firstTable: ScoreTable;

/** Opens, trains (the project's checkpoint after the first time) and scores in a fresh engine. */
async function launch(poolDir: string): Promise<{ table: ScoreTable; messages: string[] }> {
  const core = new Engine(undefined, null);
  try {
    const o = await core.open({ train, pool: poolDir, projectDir: project }, () => {});
    await core.train({ labels: o.samples.map((s) => s.label), epochs: 1 }, () => {}, new AbortController().signal);
    const messages: string[] = [];
    const table = await core.score((p) => messages.push(p.message));
    return { table, messages };
  } finally {
    await core.close();
  }
}

const scoreFiles = () => (existsSync(path.join(project, 'scores')) ? readdirSync(path.join(project, 'scores')) : []);

before(async () => {
  writeMnistSlice(train, 'train', 0, 800, true);
  writeMnistSlice(pool, 't10k', 0, 100, false);
  writeMnistSlice(otherPool, 't10k', 100, 100, false);
  firstTable = (await launch(pool)).table;
});

after(() => tmp.cleanup());

test('a complete scoring is saved in the project folder under its model version', () => {
  assert.deepEqual(scoreFiles(), [`${firstTable.modelVersion}.bin`]);
});

test('the next launch reuses it and gets the same table', async () => {
  const { table, messages } = await launch(pool);
  assert.ok(
    messages.some((m) => /saved with this model/.test(m)),
    messages.join(' | '),
  );
  assert.ok(!messages.some((m) => /^Embedding/.test(m)), 'nothing was embedded');
  assert.equal(table.modelVersion, firstTable.modelVersion);
  assert.deepEqual(Array.from(table.reviewPriority), Array.from(firstTable.reviewPriority));
  assert.deepEqual(Array.from(table.neighbours), Array.from(firstTable.neighbours));
  assert.deepEqual(table.thresholds, firstTable.thresholds);
  assert.ok(firstTable.mcDisagreement.every(Number.isFinite));
  assert.deepEqual(Array.from(table.mcDisagreement), Array.from(firstTable.mcDisagreement));
});

test('other samples with the same model find no cache of theirs', async () => {
  // Same labeled data and options, so the same model version; a different unlabeled pool.
  const { table, messages } = await launch(otherPool);
  assert.equal(table.modelVersion, firstTable.modelVersion);
  assert.ok(
    messages.some((m) => /^Embedding/.test(m)),
    messages.join(' | '),
  );
});

test('a damaged cache is recomputed, not an error', async () => {
  const file = path.join(project, 'scores', `${firstTable.modelVersion}.bin`);
  truncateSync(file, 1000);
  const { table, messages } = await launch(pool);
  assert.ok(
    messages.some((m) => /^Embedding/.test(m)),
    messages.join(' | '),
  );
  assert.deepEqual(Array.from(table.reviewPriority), Array.from(firstTable.reviewPriority));
});
