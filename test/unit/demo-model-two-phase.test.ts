// Two-phase scoring through Engine on a small real dataset: the first pass ranks the
// pool (and the held-out reference) while the training samples stay pending; the second
// completes them, and the rows of the first pass keep exactly the values a full pass gives.
// The pool also holds copies of a few training images: their rows are the pool's too.
import assert from 'node:assert/strict';

import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Engine } from '../../src/main/engine/engine.js';
import type { OpenResult, ScoreTable } from '../../src/main/engine/engine-types.js';
import { buildQueue } from '../../src/main/service/queue.js';
import { tempDir } from './model-fixtures.js';
import { writeMnistSlice } from './mnist-slices.js';

const tmp = tempDir('unsure-two-phase-');

const NT = 1200;
const NP = 150;
/** Training images 0..COPIED-1 are appended to the pool as byte-identical copies. */
const COPIED = 3;
const core = new Engine(undefined, null);
let opened: OpenResult;
let first: ScoreTable;
let full: ScoreTable;
const firstMessages: string[] = [];

before(async () => {
  const train = writeMnistSlice(path.join(tmp.dir, 'train'), 'train', 0, NT, true);
  const pool = writeMnistSlice(path.join(tmp.dir, 'pool'), 't10k', 0, NP, false);
  const images = path.join(pool, 'data-images-idx3-ubyte');
  const trainImages = readFileSync(path.join(train, 'data-images-idx3-ubyte'));
  const withCopies = Buffer.concat([readFileSync(images), trainImages.subarray(16, 16 + COPIED * 784)]);
  withCopies.writeUInt32BE(NP + COPIED, 4);
  writeFileSync(images, withCopies);
  opened = await core.open({ train, pool, projectDir: path.join(tmp.dir, 'project') }, () => {});
  const labels = opened.samples.map((s) => s.label);
  await core.train({ labels, epochs: 1 }, () => {}, new AbortController().signal);
  first = await core.score((p) => firstMessages.push(p.message), { firstPass: true });
});

after(async () => {
  await core.close();
  tmp.cleanup();
});

test('the first pass ranks the pool and the held-out reference, and leaves the training samples pending', () => {
  assert.ok(first.scored, 'a first-pass table says which rows are scored');
  const heldOut = new Set(first.heldOutIndices);
  const inPool = new Set(opened.copies.filter((g) => g.files.some((f) => f.split === 'pool')).map((g) => g.sample));
  assert.equal(inPool.size, COPIED, 'the copied training images are found in the pool');
  let pending = 0;
  opened.samples.forEach((s, i) => {
    const expected = s.split === 'pool' || heldOut.has(i) || inPool.has(i) ? 1 : 0;
    assert.equal(first.scored![i], expected, `row ${i} (${s.split})`);
    if (expected) {
      assert.ok(Number.isFinite(first.reviewPriority[i]), `row ${i} has a priority`);
      assert.ok(first.predicted[i]! >= 0);
      assert.ok(first.neighbours[i * first.k]! >= 0);
    } else {
      pending++;
      assert.equal(first.reviewPriority[i], -Infinity);
      assert.ok(Number.isNaN(first.confidence[i]!) && Number.isNaN(first.oodScore[i]!));
      assert.ok(Number.isNaN(first.mcDisagreement[i]!), 'pending rows have no MC-dropout score either');
      assert.equal(first.predicted[i], -1);
      assert.equal(first.flags[i], 0);
      assert.equal(first.neighbours[i * first.k], -1);
    }
  });
  const copiedHeldOut = [...inPool].filter((i) => heldOut.has(i)).length;
  assert.equal(pending, NT - heldOut.size - (COPIED - copiedHeldOut));
  assert.ok(
    firstMessages.some((m) => /to follow/.test(m)),
    firstMessages.join(' | '),
  );
});

test('the queue of a first pass holds the scored samples, most doubtful first', () => {
  const q = buildQueue(first, opened.samples.length, 'o1', 'r1');
  assert.equal(
    q.order.length,
    first.scored!.reduce((a, b) => a + b, 0),
  );
  const priority = q.order.map((i) => first.reviewPriority[i]!);
  for (let r = 1; r < priority.length; r++) assert.ok(priority[r - 1]! >= priority[r]!);
  assert.ok(priority.every((p) => Number.isFinite(p)));
  assert.equal(q.order.filter((i) => opened.samples[i]!.split === 'pool').length, NP);
});

test('"similar" works before the training samples are scored', async () => {
  const poolRow = NT;
  const near = await core.similar(poolRow, 5);
  assert.equal(near.length, 5);
  assert.ok(near.every((j) => opened.samples[j]!.split === 'pool' && j !== poolRow));
});

test('the second pass completes every row and keeps the first pass values exactly', async () => {
  full = await core.score(() => {});
  assert.equal(full.scored, undefined);
  assert.equal(full.modelVersion, first.modelVersion);
  assert.deepEqual(full.thresholds, first.thresholds);
  for (let i = 0; i < opened.samples.length; i++) {
    assert.ok(Number.isFinite(full.reviewPriority[i]), `row ${i} scored`);
    if (!first.scored![i]) continue;
    assert.equal(full.reviewPriority[i], first.reviewPriority[i], `priority of row ${i}`);
    assert.equal(full.oodScore[i], first.oodScore[i]);
    assert.equal(full.mcDisagreement[i], first.mcDisagreement[i]);
    assert.equal(full.confidence[i], first.confidence[i]);
    assert.equal(full.flags[i], first.flags[i]);
    for (let j = 0; j < full.k; j++) assert.equal(full.neighbours[i * full.k + j], first.neighbours[i * first.k + j]);
  }
  // A training sample never finds itself among its neighbours.
  for (let i = 0; i < NT; i++) {
    for (let j = 0; j < full.k; j++) assert.notEqual(full.neighbours[i * full.k + j], i);
  }
  assert.equal(buildQueue(full, opened.samples.length, 'o1', 'r2').order.length, NT + NP);
});

test('a full pass from scratch gives the same table as the two passes', async () => {
  const other = new Engine(undefined, null);
  try {
    await other.open(
      {
        train: path.join(tmp.dir, 'train'),
        pool: path.join(tmp.dir, 'pool'),
        projectDir: path.join(tmp.dir, 'project'),
      },
      () => {},
    );
    // Same labels and options: the project's checkpoint is reused, so the model is identical.
    const tr = await other.train(
      { labels: opened.samples.map((s) => s.label), epochs: 1 },
      () => {},
      new AbortController().signal,
    );
    assert.equal(tr.cached, true);
    const single = await other.score(() => {});
    assert.deepEqual(single.thresholds, full.thresholds);
    for (let i = 0; i < opened.samples.length; i++) {
      assert.ok(Math.abs(single.reviewPriority[i]! - full.reviewPriority[i]!) < 1e-5, `row ${i}`);
      assert.ok(Math.abs(single.mcDisagreement[i]! - full.mcDisagreement[i]!) < 1e-5, `mc of row ${i}`);
    }
  } finally {
    await other.close();
  }
});
