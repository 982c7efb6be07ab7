// The checkpoint shipped in resources/demo-model: small, current (it is exactly the training
// a first launch of the demo would run, so the engine uses it), accurate, and what the
// engine actually picks when the demo opens. If a test here fails after a change to the
// CNN, the training options or the demo data, regenerate the folder:
//   node --import tsx scripts/train-demo-model.ts
import { givenTrainingLabels } from '../../src/shared/journal-fold.js';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../src/main/engine/engine.js';
import type { EngineProgress, OpenResult } from '../../src/main/engine/engine-types.js';
import {
  dataHashOf,
  evaluateAccuracy,
  HOLD_OUT_FRACTION,
  resolveTrainOptions,
} from '../../src/main/engine/pipeline/train-model.js';
import { modelClasses, stratifiedHoldOut } from '../../src/main/engine/pipeline/holdout.js';
import { computeModelVersion } from '../../src/main/engine/model/checkpoint.js';
import {
  baseHashOf,
  loadShippedModel,
  shippedDemoModelDir,
  type LoadedShippedModel,
} from '../../src/main/engine/pipeline/shipped-model.js';
import { unseenMnistTest } from '../../scripts/train-demo-model.js';
import { buildScoreTable } from '../../src/main/engine/pipeline/score-table.js';
import { knnBaseRows } from '../../src/main/engine/pipeline/neighbour-search.js';
import { tempDir } from './model-fixtures.js';

const REGENERATE = 'regenerate it: node --import tsx scripts/train-demo-model.ts';
const dir = shippedDemoModelDir();
const tmp = tempDir('unsure-demo-model-');
const core = new Engine();
let opened: OpenResult;
let labels: (string | null)[];
let shipped: LoadedShippedModel;

before(async () => {
  assert.ok(dir, 'resources/demo-model/model.json is missing');
  shipped = await loadShippedModel(dir);
  opened = await core.open({ projectDir: path.join(tmp.dir, 'project') }, () => {});
  labels = givenTrainingLabels(opened.samples);
});

after(async () => {
  shipped?.model.dispose();
  await core.close();
  tmp.cleanup();
});

test('every file of the shipped model is under 1 MB', () => {
  for (const f of readdirSync(dir!)) {
    const size = statSync(path.join(dir!, f)).size;
    assert.ok(size < 1024 * 1024, `${f} is ${size} bytes`);
  }
});

test('it is the training the demo would run now (same data, labels, seed, options, architecture)', () => {
  const options = resolveTrainOptions();
  const classes = modelClasses(opened.classes, labels);
  const recipe = computeModelVersion(
    dataHashOf(
      opened.samples.map((s) => s.id),
      labels,
    ),
    classes,
    options.seed,
    options,
  );
  assert.equal(shipped.provenance.recipeVersion, recipe, `the shipped demo model is stale; ${REGENERATE}`);
  assert.deepEqual(shipped.model.classes, classes);
});

test('it reaches at least 98.5% on 2,000 MNIST test digits it never saw', async () => {
  const test = unseenMnistTest(new Set(opened.samples.map((s) => s.id)), 2000);
  assert.equal(test.labels.length, 2000);
  const acc = await evaluateAccuracy(
    shipped.model,
    test.pixels,
    test.labels,
    Int32Array.from(test.labels, (_, i) => i),
  );
  assert.ok(acc >= 0.985, `accuracy ${(100 * acc).toFixed(2)}%`);
});

test('the held-out accuracy it reports is what its weights give here', async () => {
  const split = stratifiedHoldOut(labels, HOLD_OUT_FRACTION, resolveTrainOptions().seed);
  const acc = await evaluateAccuracy(shipped.model, opened.pixels, labels, split.heldOut);
  assert.ok(
    Math.abs(acc - shipped.provenance.heldOutAccuracy!) <= 0.001,
    `measured ${acc}, recorded ${shipped.provenance.heldOutAccuracy}`,
  );
});

test('opening the demo with its given labels uses it instead of training', async () => {
  const progress: EngineProgress[] = [];
  const r = await core.train({ labels, useShipped: true }, (p) => progress.push(p), new AbortController().signal);
  assert.equal(r.source, 'shipped');
  assert.equal(r.modelVersion, shipped.provenance.modelVersion);
  assert.ok(r.heldOutAccuracy > 0.98);
  assert.ok(
    progress.some((p) => /using the shipped demo model/i.test(p.message)),
    progress.map((p) => p.message).join(' | '),
  );
  assert.ok(!progress.some((p) => p.phase === 'training' && p.epoch !== undefined), 'no training step ran');
});

test('its label check is the one a first launch runs with it, so the label-error tab fills at once', async () => {
  const progress: EngineProgress[] = [];
  await core.train({ labels, useShipped: true }, () => {}, new AbortController().signal);
  const scores = await core.labelCheck(labels, (p) => progress.push(p), new AbortController().signal);
  assert.deepEqual(
    progress.map((p) => p.message),
    ['Label check kept from an earlier run'],
    `label-check.json is stale; ${REGENERATE} --label-check-only`,
  );
  const labelled = labels.flatMap((l, i) => (l === null ? [] : [scores[i]!]));
  assert.ok(labelled.length > 0 && labelled.every((x) => x >= 0 && x <= 1), 'every training digit has its doubt');
});

test('its neighbour distances are what a full scoring of the demo computes, so a first pass searches only its rows', async () => {
  const nd = shipped.neighbourDistances;
  assert.ok(nd, `model.json names no neighbour distances; ${REGENERATE} --distances-only`);
  const split = stratifiedHoldOut(labels, HOLD_OUT_FRACTION, resolveTrainOptions().seed);
  const base = knnBaseRows(split.train, labels);
  const ids = opened.samples.map((smp) => smp.id);
  assert.equal(nd.baseHash, baseHashOf(ids, base), `they are for another kNN base; ${REGENERATE} --distances-only`);
  const { table } = await buildScoreTable({
    classifier: shipped.model,
    inputs: opened.pixels,
    labels,
    trainIndices: split.train,
    heldOutIndices: split.heldOut,
    modelVersion: 'check',
  });
  assert.equal(nd.k, table.k);
  let worst = 0;
  base.forEach((r, j) => {
    let sum = 0;
    for (let c = 0; c < table.k; c++) sum += table.neighbourSims[r * table.k + c]!;
    worst = Math.max(worst, Math.abs(1 - sum / table.k - nd.values[j]!));
  });
  assert.ok(worst < 1e-4, `a shipped distance is off by ${worst}; ${REGENERATE} --distances-only`);

  // The engine hands them to the first pass: one search, of the pool and the held-out rows.
  const messages: string[] = [];
  await core.score((p) => messages.push(p.message), { firstPass: true });
  const searched = messages.filter((m) => /nearest training neighbours of/.test(m));
  // (Some held-out samples are the pool's labeled digits.)
  const rows = new Set([...split.heldOut, ...opened.samples.flatMap((smp, i) => (smp.split === 'pool' ? [i] : []))]);
  assert.deepEqual(searched, [`Finding ${table.k} nearest training neighbours of ${rows.size} samples`]);
});
