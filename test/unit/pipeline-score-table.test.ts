// The score table on a small real model: neighbours come only from training samples of
// known classes (never 'other', never the pool, never the sample itself), and noise is
// scored further from the training data than digits.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { generateDistractors } from '../../src/main/engine/datasets/index.js';
import { trainModel } from '../../src/main/engine/pipeline/train-model.js';
import { buildScoreTable } from '../../src/main/engine/pipeline/score-table.js';
import { PIXELS_PER_IMAGE } from '../../src/main/engine/types.js';
import { LOW_LEVEL_DIM } from '../../src/main/engine/model/cnn.js';
import type { Classifier } from '../../src/main/engine/model/classifier.js';
import { DIGITS, mnistArrays, tempDir } from './model-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);

const NT = 1500; // training digits
const NO = 60; // training samples labeled 'other' (scribbles)
const NP = 200; // pool digits
const NN = 100; // pool noise
const digits = mnistArrays('train', 0, NT);
const poolDigits = mnistArrays('test', 0, NP);
const pixels = new Uint8Array((NT + NO + NP + NN) * PIXELS_PER_IMAGE);
pixels.set(digits.pixels, 0);
pixels.set(generateDistractors('scribble', NO, 1), NT * PIXELS_PER_IMAGE);
pixels.set(poolDigits.pixels, (NT + NO) * PIXELS_PER_IMAGE);
pixels.set(generateDistractors('noise', NN, 2), (NT + NO + NP) * PIXELS_PER_IMAGE);
const labels: (string | null)[] = [
  ...Array.from(digits.labels, String),
  ...new Array(NO).fill('other'),
  ...new Array(NP + NN).fill(null),
];
const ids = labels.map((_, i) => `s${i}`);

test('trains with other as an extra class, reuses the cache, and scores every sample', async () => {
  const input = { ids, inputs: pixels, labels, knownClasses: DIGITS, epochs: 1, seed: 1, projectDir: tmp.dir };
  const m = await trainModel(input, () => {});
  assert.deepEqual(m.classes, [...DIGITS, 'other']);
  assert.equal(m.cached, false);
  assert.ok(m.heldOutAccuracy > 0.6, `held-out accuracy ${m.heldOutAccuracy}`);
  assert.ok(m.heldOutIndices.every((i) => labels[i] !== null && labels[i] !== 'other'));
  const again = await trainModel(input, () => {
    throw new Error('a cached model must not train');
  });
  assert.equal(again.cached, true);
  assert.equal(again.modelVersion, m.modelVersion);
  again.classifier.dispose();

  const first = await buildScoreTable({
    classifier: m.classifier,
    inputs: pixels,
    labels,
    trainIndices: m.trainIndices,
    heldOutIndices: m.heldOutIndices,
    modelVersion: m.modelVersion,
  });
  const { table, embeddings, dim } = first;
  const n = labels.length;
  assert.equal(table.k, 10);
  assert.equal(embeddings.length, n * dim);
  for (const col of [
    table.msp,
    table.margin,
    table.entropy,
    table.energy,
    table.knnDistance,
    table.mcDisagreement,
    table.oodScore,
    table.reviewPriority,
  ]) {
    assert.equal(col.length, n);
    assert.ok(col.every(Number.isFinite));
  }
  assert.equal(table.probs.length, n * 11);
  const trainSet = new Set(m.trainIndices);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < table.k; j++) {
      const nb = table.neighbours[i * table.k + j]!;
      assert.notEqual(nb, i, `sample ${i} is its own neighbour`);
      assert.ok(trainSet.has(nb), `neighbour ${nb} of ${i} is not a training sample`);
      assert.ok(labels[nb] !== 'other', `neighbour ${nb} of ${i} is an 'other' sample`);
    }
  }
  const mean = (a: Float32Array, s: number, e: number) => a.slice(s, e).reduce((x, y) => x + y, 0) / (e - s);
  const digitsOod = mean(table.oodScore, NT + NO, NT + NO + NP);
  const noiseOod = mean(table.oodScore, NT + NO + NP, n);
  assert.ok(noiseOod > digitsOod, `noise ${noiseOod} vs digits ${digitsOod}`);
  assert.ok(table.labelIssue.every(Number.isNaN), 'no label issue before the out-of-fold check');
  assert.equal(table.heldOut.oodScore.length, m.heldOutIndices.length);

  // The label check's column arrives: the same model's embeddings and neighbours are reused.
  const issues = Float32Array.from(labels, (l, i) => (l === null ? Number.NaN : (i % 7) / 7));
  let embedded = false;
  const second = await buildScoreTable(
    {
      classifier: m.classifier,
      inputs: pixels,
      labels,
      trainIndices: m.trainIndices,
      heldOutIndices: m.heldOutIndices,
      modelVersion: m.modelVersion,
      labelIssues: { scores: issues, threshold: 0.8, estimatedIssues: 3 },
      reuse: first,
    },
    (phase) => (embedded ||= phase === 'embedding'),
  );
  assert.equal(first.lowLevelDim, LOW_LEVEL_DIM);
  assert.equal(first.lowLevel?.length, n * LOW_LEVEL_DIM);
  assert.equal(second.lowLevel, first.lowLevel, 'the channel statistics are reused with the embeddings');
  assert.ok(first.mcDisagreement && first.mcDisagreement.every((v) => v >= 0 && v < 1));
  assert.equal(second.mcDisagreement, first.mcDisagreement, 'the MC-dropout column is reused with the embeddings');
  assert.deepEqual(second.table.mcDisagreement, table.mcDisagreement);

  // The same network without its channel statistics (as a user's model would be): the same
  // neighbours, but the Mahalanobis term sees only the embedding, so ood_score differs.
  const bare: Classifier = {
    classes: m.classifier.classes,
    embeddingDim: m.classifier.embeddingDim,
    forward: (x) => {
      const o = m.classifier.forward(x);
      return { logits: o.logits, features: o.features };
    },
    dispose: () => {},
  };
  const plain = await buildScoreTable({
    classifier: bare,
    inputs: pixels,
    labels,
    trainIndices: m.trainIndices,
    heldOutIndices: m.heldOutIndices,
    modelVersion: `${m.modelVersion}-bare`,
  });
  m.classifier.dispose();
  assert.equal(plain.lowLevel, null);
  // No dropout to sample: the column is there, NaN throughout, and nothing else depends on it.
  assert.equal(plain.mcDisagreement, null);
  assert.equal(plain.table.mcDisagreement.length, n);
  assert.ok(plain.table.mcDisagreement.every(Number.isNaN));
  assert.deepEqual(plain.table.neighbours, table.neighbours);
  assert.notDeepEqual(plain.table.oodScore, table.oodScore);
  assert.ok(mean(plain.table.oodScore, NT + NO + NP, n) > mean(plain.table.oodScore, NT + NO, NT + NO + NP));
  assert.equal(embedded, false, 'a reused scoring must not embed again');
  assert.deepEqual(second.table.neighbours, table.neighbours);
  assert.deepEqual(second.table.oodScore, table.oodScore);
  assert.deepEqual(second.table.labelIssue, issues);
  assert.equal(second.table.thresholds.labelIssue, 0.8, "the label check's own threshold is used");
});

test("a first pass searches its rows' neighbours for knnExcess, unless their distances are known", async () => {
  const m = await trainModel(
    { ids, inputs: pixels, labels, knownClasses: DIGITS, epochs: 1, seed: 1, projectDir: tmp.dir },
    () => {},
  );
  const base = {
    classifier: m.classifier,
    inputs: pixels,
    labels,
    trainIndices: m.trainIndices,
    heldOutIndices: m.heldOutIndices,
  };
  const pool = Int32Array.from({ length: NP + NN }, (_, i) => NT + NO + i);
  const searches = (messages: string[]) =>
    messages.flatMap((s) => /nearest training neighbours of (\d+) samples/.exec(s)?.[1] ?? []).map(Number);
  try {
    const full = (await buildScoreTable({ ...base, modelVersion: 'full' })).table;
    const wanted = NP + NN + m.heldOutIndices.length;

    const plainLog: string[] = [];
    const plain = (
      await buildScoreTable({ ...base, modelVersion: 'p', firstRows: pool }, (_p, _f, s) => plainLog.push(s))
    ).table;
    const [rows, references] = searches(plainLog);
    assert.ok(references !== undefined, 'two search counts');
    assert.equal(rows, wanted);
    assert.ok(references > 0, 'the neighbours of the first rows are searched too');
    // ...but stay pending: their own neighbours' distances are not known.
    assert.equal(
      plain.scored!.reduce((a, b) => a + b, 0),
      wanted,
    );

    // The base rows' own distances, as a shipped model would bring them.
    const values = new Float32Array(labels.length).fill(Number.NaN);
    for (const r of m.trainIndices) {
      if (labels[r] === 'other') continue;
      let s = 0;
      for (let j = 0; j < full.k; j++) s += full.neighbourSims[r * full.k + j]!;
      values[r] = 1 - s / full.k;
    }
    const knownLog: string[] = [];
    const known = (
      await buildScoreTable(
        { ...base, modelVersion: 'k', firstRows: pool, knownDistances: { k: full.k, values } },
        (_p, _f, s) => knownLog.push(s),
      )
    ).table;
    assert.deepEqual(searches(knownLog), [wanted], 'only the first rows are searched');
    for (const r of [...pool, ...m.heldOutIndices]) {
      assert.equal(plain.oodScore[r], full.oodScore[r], `row ${r}: a first pass scores as a full one`);
      assert.ok(Math.abs(known.oodScore[r]! - full.oodScore[r]!) < 1e-6, `row ${r} with known distances`);
    }
    // Known distances for another k are not used.
    const otherK = await buildScoreTable({
      ...base,
      modelVersion: 'o',
      firstRows: pool,
      knownDistances: { k: 3, values },
    });
    assert.deepEqual(otherK.table.oodScore, plain.oodScore);
    await assert.rejects(
      buildScoreTable({ ...base, modelVersion: 'x', knownDistances: { k: full.k, values: values.subarray(1) } }),
      /knownDistances has \d+ rows for \d+ samples/,
    );
  } finally {
    m.classifier.dispose();
  }
});
