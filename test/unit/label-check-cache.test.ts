import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  labelCheckFile,
  labelCheckKey,
  loadLabelCheck,
  saveLabelCheck,
  type LabelCheckKey,
} from '../../src/main/engine/pipeline/label-check-cache.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir('unsure-label-check-cache-');
after(tmp.cleanup);

const base: LabelCheckKey = {
  ids: ['a', 'b', 'c'],
  labels: ['1', null, '2'],
  knownClasses: ['1', '2'],
  epochs: 3,
  seed: 42,
  inputs: { recipe: 'digits v1', rows: null },
  modelVersion: 'm1',
};

test('the key changes with every input of the check', () => {
  const k = labelCheckKey(base);
  assert.equal(labelCheckKey({ ...base }), k);
  for (const change of [
    { ids: ['a', 'b', 'd'] },
    { labels: ['1', null, '1'] },
    { knownClasses: ['1', '2', '3'] },
    { epochs: 4 },
    { seed: 43 },
    { inputs: { recipe: 'digits v1', rows: 'mobilenet' } },
    { modelVersion: null },
  ])
    assert.notEqual(labelCheckKey({ ...base, ...change }), k, JSON.stringify(change));
});

test('a saved check reads back exactly (NaN included); another key, size or a damaged file reads as none', async () => {
  const dir = path.join(tmp.dir, 'p');
  const key = labelCheckKey(base);
  const issues = { scores: Float32Array.from([0.25, Number.NaN, 0.999]), threshold: 0.5, estimatedIssues: 1.5 };
  await saveLabelCheck(dir, key, issues);
  const file = labelCheckFile(dir, key);
  const back = await loadLabelCheck(file, key, 3);
  assert.ok(back);
  assert.deepEqual(Array.from(back.scores), Array.from(issues.scores));
  assert.equal(back.threshold, 0.5);
  assert.equal(back.estimatedIssues, 1.5);
  assert.equal(await loadLabelCheck(file, key, 4), null, 'another number of samples');
  assert.equal(await loadLabelCheck(file, labelCheckKey({ ...base, seed: 1 }), 3), null, 'another key');
  writeFileSync(file, '{"key": "tor');
  assert.equal(await loadLabelCheck(file, key, 3), null, 'damaged');
});

test('only the newest few checks are kept', async () => {
  const dir = path.join(tmp.dir, 'q');
  const issues = { scores: new Float32Array(3), threshold: 0.5, estimatedIssues: 0 };
  for (let seed = 0; seed < 6; seed++) {
    await saveLabelCheck(dir, labelCheckKey({ ...base, seed }), issues);
    await new Promise((r) => setTimeout(r, 15));
  }
  const left = readdirSync(path.join(dir, 'labelcheck'));
  assert.equal(left.length, 3);
  assert.ok(left.includes(`${labelCheckKey({ ...base, seed: 5 })}.json`), 'the newest stays');
});
