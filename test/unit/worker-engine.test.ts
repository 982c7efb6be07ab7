// The worker-backed EngineClient end to end on small real datasets. This file never loads
// TensorFlow itself: the last test checks that tfjs's global engine was never created on
// this (main) thread, i.e. every TensorFlow call ran in the worker.
import { writeMnistSlice } from './mnist-slices.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createEngine } from '../../src/main/engine/worker/engine-client-impl.js';
import { encodeGreyPng } from '../../src/main/engine/datasets/png.js';
import type { EngineClient } from '../../src/main/engine/engine-client.js';
import type { EngineProgress, OpenResult } from '../../src/main/engine/engine-types.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'unsure-worker-'));

const NT = 1500;
const NP = 200;
let engine: EngineClient;
let opened: OpenResult;
let labels: (string | null)[];

before(async () => {
  engine = createEngine();
  const train = writeMnistSlice(path.join(tmp, 'train'), 'train', 0, NT, true);
  const pool = writeMnistSlice(path.join(tmp, 'pool'), 't10k', 0, NP, false);
  opened = await engine.open({ train, pool, projectDir: path.join(tmp, 'project') }, () => {});
  labels = opened.samples.map((s) => (s.split === 'train' ? s.label : null));
});

after(async () => {
  await engine.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('open returns train then pool samples, the classes, and pixels in shared memory', () => {
  assert.equal(opened.samples.length, NT + NP);
  assert.equal(opened.samples[0]!.split, 'train');
  assert.equal(opened.samples[NT]!.split, 'pool');
  assert.deepEqual(opened.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.ok(opened.pixels.buffer instanceof SharedArrayBuffer);
  assert.equal(opened.pixels.length, (NT + NP) * 784);
  assert.equal(opened.roots.length, 2);
});

test('calls before training fail with the worker message as an Error', async () => {
  await assert.rejects(
    engine.score(() => {}),
    (e: Error) => e instanceof Error && /no model yet/.test(e.message),
  );
  await assert.rejects(engine.similar(0, 5), /score the samples first/);
});

test('training runs in the worker: progress arrives while a main-thread timer keeps ticking', async () => {
  const progress: EngineProgress[] = [];
  const ticksAtProgress: number[] = [];
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    const r = await engine.train(
      { labels, epochs: 2, seed: 1 },
      (p) => {
        progress.push(p);
        if (p.phase === 'training') ticksAtProgress.push(ticks);
      },
      new AbortController().signal,
    );
    assert.equal(r.cached, false);
    assert.ok(r.heldOutAccuracy > 0.7, `held-out accuracy ${r.heldOutAccuracy}`);
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticksAtProgress.length >= 3, `${ticksAtProgress.length} training progress events`);
  // The timer fired between the first and the last training report: the main thread was free.
  assert.ok(ticksAtProgress.at(-1)! > ticksAtProgress[0]!, `ticks ${ticksAtProgress.join(',')}`);
  const last = progress.filter((p) => p.phase === 'training').at(-1)!;
  assert.equal(last.epochs, 2);
  assert.ok(last.loss !== undefined && last.accuracy !== undefined && last.samplesPerSec! > 0);
});

test('identical training is reused from the project folder', async () => {
  const r = await engine.train({ labels, epochs: 2, seed: 1 }, () => {}, new AbortController().signal);
  assert.equal(r.cached, true);
});

test('a cancelled training keeps the previous model', async () => {
  const before = await engine.score(() => {});
  const ac = new AbortController();
  await assert.rejects(
    engine.train({ labels, epochs: 3, seed: 99 }, (p) => p.phase === 'training' && ac.abort(), ac.signal),
    (e: Error) => e.name === 'AbortError',
  );
  const afterCancel = await engine.score(() => {});
  assert.equal(afterCancel.modelVersion, before.modelVersion);
  assert.deepEqual(afterCancel.oodScore, before.oodScore);
});

test('score, similar, predictImage and saveModel work on the trained model', async () => {
  const table = await engine.score(() => {});
  assert.equal(table.msp.length, NT + NP);
  assert.ok(table.thresholds.ood > 0);
  const near = await engine.similar(NT + 3, 5);
  assert.equal(near.length, 5);
  assert.ok(
    near.every((i) => i >= NT && i !== NT + 3),
    `similar gave ${near.join(',')}`,
  );
  const digit = opened.pixels.slice((NT + 0) * 784, (NT + 1) * 784);
  const pred = await engine.predictImage(new Uint8Array(encodeGreyPng(digit, 28, 28)));
  assert.equal(pred.classes.length, 10);
  assert.equal(pred.probs.length, 10);
  assert.ok(Math.abs(pred.probs.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  assert.equal(pred.predicted, pred.classes[table.predicted[NT]!]);
  await assert.rejects(engine.predictImage(new Uint8Array([1, 2, 3])), /Cannot decode/);
  const out = path.join(tmp, 'saved');
  await engine.saveModel(out);
  assert.ok(existsSync(path.join(out, 'model.json')) && existsSync(path.join(out, 'weights.bin')));
  const backend = await engine.backend();
  assert.equal(backend.backend, 'tensorflow');
});

test('the label check reports whole-check progress and its column joins the next scoring', async () => {
  const fractions: number[] = [];
  const issues = await engine.labelCheck(labels, (p) => fractions.push(p.fraction), new AbortController().signal);
  assert.ok(fractions.length > 2);
  assert.ok(
    fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]! - 1e-9)),
    `${fractions}`,
  );
  assert.equal(issues.length, NT + NP);
  const table = await engine.score(() => {});
  for (let i = 0; i < NT + NP; i++) {
    assert.equal(Number.isNaN(table.labelIssue[i]), labels[i] === null, `sample ${i}`);
  }
});

test('a second launch on the same samples, labels and model keeps the label check; other labels check again', async () => {
  const first = await engine.labelCheck(labels, () => {}, new AbortController().signal);
  const again = createEngine();
  try {
    const o = await again.open(
      { train: opened.roots[0]!, pool: opened.roots[1]!, projectDir: path.join(tmp, 'project') },
      () => {},
    );
    assert.equal(o.samples.length, NT + NP);
    assert.equal(
      (await again.train({ labels, epochs: 2, seed: 1 }, () => {}, new AbortController().signal)).cached,
      true,
    );
    const progress: EngineProgress[] = [];
    const kept = await again.labelCheck(labels, (p) => progress.push(p), new AbortController().signal);
    assert.deepEqual(
      progress.map((p) => [p.fraction, p.message]),
      [[1, 'Label check kept from an earlier run']],
    );
    assert.deepEqual(
      Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength),
      Buffer.from(first.buffer, first.byteOffset, first.byteLength),
    );
    const relabelled = [...labels];
    relabelled[0] = relabelled[0] === '1' ? '2' : '1';
    const fresh: EngineProgress[] = [];
    await again.labelCheck(relabelled, (p) => fresh.push(p), new AbortController().signal);
    assert.ok(fresh.length > 2 && !fresh.some((p) => /kept/.test(p.message)), 'changed labels are checked again');
  } finally {
    await again.close();
  }
});

test('similar and predictImage are answered during a training, from the current model', async () => {
  const before = await engine.score(() => {});
  let trainDone = false;
  let started!: () => void;
  const trainingStarted = new Promise<void>((r) => (started = r));
  const training = engine
    .train({ labels, epochs: 3, seed: 5 }, (p) => p.phase === 'training' && started(), new AbortController().signal)
    .finally(() => (trainDone = true));
  await trainingStarted;
  const near = await engine.similar(NT + 1, 3);
  assert.equal(trainDone, false, 'similar waited for the training');
  assert.equal(near.length, 3);
  const r = await training;
  assert.notEqual(r.modelVersion, before.modelVersion);
});

test('opening a missing dataset fails with its path in the message', async () => {
  const missing = path.join(tmp, 'nope');
  await assert.rejects(
    engine.open({ train: missing, projectDir: tmp }, () => {}),
    (e: Error) => e.message.includes(missing),
  );
});

test('no TensorFlow was loaded on the main thread', () => {
  assert.equal((globalThis as Record<string, unknown>)._tfengine, undefined);
});

test('close lets the worker finish writing the score cache of the last scoring', async () => {
  // Labels not trained on before: a new model version, whose first complete scoring is saved.
  const fewer = labels.map((l, i) => (i % 5 === 0 ? null : l));
  await engine.train({ labels: fewer, epochs: 1, seed: 9 }, () => {}, new AbortController().signal);
  const table = await engine.score(() => {});
  await engine.close();
  assert.ok(existsSync(path.join(tmp, 'project', 'scores', `${table.modelVersion}.bin`)));
  await assert.rejects(
    engine.score(() => {}),
    /engine closed/,
  );
});
