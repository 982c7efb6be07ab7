import assert from 'node:assert/strict';
import { DIGIT_SHAPE } from '../../src/main/engine/types.js';
import { DIGITS_RECIPE } from '../../src/main/engine/datasets/digits-recipe.js';
import { describe, test } from 'node:test';
import { DoubtFlag, OTHER_BY_DISTANCE } from '../../src/shared/api.js';
import type { OpenResult, ScoreTable } from '../../src/main/engine/engine-types.js';
import { buildInsights } from '../../src/main/service/insights.js';
import { buildQueue, buildSamples } from '../../src/main/service/queue.js';
import { joinQueue } from '../../src/renderer/src/queue/view.js';
import { verdicts } from '../../src/main/service/verdicts.js';

const f32 = (xs: number[]) => Float32Array.from(xs);

function table(): { t: ScoreTable; data: OpenResult } {
  const samples = [
    { id: 'a', path: 'train/0/a.png', label: '0', file: null, split: 'train' as const },
    { id: 'b', path: 'train/1/b.png', label: '1', file: null, split: 'train' as const },
    { id: 'c', path: 'pool/c.png', label: null, file: null, split: 'pool' as const },
    { id: 'd', path: 'pool/d.png', label: '1', file: null, split: 'pool' as const },
  ];
  const t: ScoreTable = {
    modelVersion: 'v1',
    classes: ['0', '1'],
    probs: f32([0.9, 0.1, 0.2, 0.8, 0.99, 0.01, 0.6, 0.4]),
    predicted: Int32Array.from([0, 1, 0, 0]),
    confidence: f32([0.9, 0.8, 0.99, 0.6]),
    msp: f32([0.1, 0.2, 0.01, 0.4]),
    margin: f32([0.2, 0.4, 0.02, 0.8]),
    entropy: f32([0.3, 0.5, 0.05, 0.67]),
    energy: f32([-9, -8, -7, -5]),
    knnDistance: f32([0.05, 0.06, 0.5, 0.1]),
    mcDisagreement: f32([0, 0.03, 0.01, 0.2]),
    oodScore: f32([0.1, 0.2, 3.0, 0.5]),
    labelIssue: f32([0.1, 0.2, NaN, 0.6]),
    reviewPriority: f32([0.1, 0.2, 3.0, 1.2]),
    flags: Uint8Array.from([0, 0, DoubtFlag.ood, DoubtFlag.labelIssue | DoubtFlag.lowConfidence]),
    neighbours: Int32Array.from([1, 0, 0, 1]),
    neighbourSims: f32([0.9, 0.9, 0.4, 0.8]),
    k: 1,
    thresholds: { ood: 1, lowConfidence: 0.3, labelIssue: 0.5 },
    heldOut: { oodScore: f32([0.1, 0.2, 0.3]), knnDistance: f32([0.04, 0.05, 0.06]), msp: f32([0.01, 0.1, 0.2]) },
    heldOutIndices: Int32Array.from([]),
  };
  return {
    t,
    data: {
      samples,
      classes: ['0', '1'],
      pixels: new Uint8Array(4 * 784),
      shape: DIGIT_SHAPE,
      family: { arch: 'cnn' as const, reason: '' },
      recipe: DIGITS_RECIPE,
      roots: [],
      copies: [],
    },
  };
}

describe('the review queue', () => {
  test('is ordered by review priority, most doubtful first, with columns aligned', () => {
    const { t, data } = table();
    const q = buildQueue(t, data.samples.length, 'o1', 'r1');
    assert.deepEqual(q.order, [2, 3, 1, 0]);
    assert.deepEqual(q.predicted, [0, 0, 1, 0]);
    assert.deepEqual(q.flags, [DoubtFlag.ood, DoubtFlag.labelIssue | DoubtFlag.lowConfidence, 0, 0]);
    assert.equal(q.openId, 'o1');
    assert.equal(q.revision, 'r1');
    // The renderer's view joins the samples' static columns back in, row by row.
    const v = joinQueue(buildSamples(data, 'o1'), q);
    assert.deepEqual(v.ids, ['c', 'd', 'b', 'a']);
    assert.deepEqual(v.split, [1, 1, 0, 0]);
    assert.deepEqual(v.given, [-1, 1, 1, 0]);
    assert.deepEqual(v.flags, q.flags);
  });

  test('sends the samples once, in dataset order, and confidences to 3 decimals', () => {
    const { t, data } = table();
    const s = buildSamples(data, 'o1');
    assert.deepEqual(s, { openId: 'o1', ids: ['a', 'b', 'c', 'd'], split: [0, 0, 1, 1], given: [0, 1, -1, 1] });
    const q = buildQueue(t, data.samples.length, 'o1', 'r1');
    assert.deepEqual(
      q.confidence,
      q.order.map((i) => Math.round(t.confidence[i]! * 1000) / 1000),
    );
    assert.ok(q.confidence.every((c) => Math.abs(c * 1000 - Math.round(c * 1000)) < 1e-9));
  });

  test('a queue is refused with samples of another opening, or indices past them', () => {
    const { t, data } = table();
    const q = buildQueue(t, data.samples.length, 'o2', 'r1');
    assert.throws(() => joinQueue(buildSamples(data, 'o1'), q), /queue is for opening o2, the samples for o1/);
    const s = buildSamples(data, 'o2');
    const short = { ...s, ids: ['a'], split: [0], given: [0] };
    assert.throws(() => joinQueue(short, q), /queue row 0 names sample 2, but the project has 1/);
    // A negative index used to join as an undefined id, split and label.
    assert.throws(() => joinQueue(s, { ...q, order: [2, -1, 0, 1] }), /queue row 1 names sample -1/);
    assert.throws(() => joinQueue(s, { ...q, flags: q.flags.slice(1) }), /4 rows but 3 flags/);
    assert.throws(() => joinQueue({ ...s, given: [0] }, q), /4 ids, 4 splits and 1 labels/);
  });

  test('leaves out the rows a first pass has not scored yet', () => {
    const { t, data } = table();
    const q = buildQueue({ ...t, scored: Uint8Array.from([1, 0, 1, 0]) }, data.samples.length, 'o1', 'r1');
    assert.deepEqual(q.order, [2, 0]);
    assert.equal(q.predicted.length, 2);
    assert.equal(q.confidence.length, 2);
    assert.equal(q.flags.length, 2);
  });
});

describe('the queue refuses a table of the wrong shape', () => {
  test('a column shorter than the samples, a neighbour or held-out index outside them', () => {
    const { t, data } = table();
    const n = data.samples.length;
    assert.throws(
      () => buildQueue({ ...t, flags: t.flags.subarray(0, 3) }, n, 'o', 'r'),
      /column flags has 3 values for 4/,
    );
    assert.throws(() => buildQueue({ ...t, neighbours: Int32Array.from([1, 0, 4, 1]) }, n, 'o', 'r'), /neighbour is 4/);
    assert.throws(() => buildQueue({ ...t, probs: t.probs.subarray(2) }, n, 'o', 'r'), /probs has 6 values/);
    assert.throws(
      () => buildQueue({ ...t, predicted: Int32Array.from([0, 2, 0, 0]) }, n, 'o', 'r'),
      /predicted class is 2/,
    );
    assert.throws(() => buildQueue({ ...t, heldOutIndices: Int32Array.of(-1) }, n, 'o', 'r'), /held-out index is -1/);
  });
});

describe('insights of a first-pass table', () => {
  test('a pending labeled row (predicted -1) is not counted, and leaves no stray cell', () => {
    const { t, data } = table();
    const pending = { ...t, scored: Uint8Array.from([0, 1, 1, 1]), predicted: Int32Array.from([-1, 1, 0, 0]) };
    const ins = buildInsights(pending, data.samples, ['0', '1']);
    // Row '0' had only sample a, pending: it used to gain a "-1" property set to NaN.
    assert.deepStrictEqual(ins.confusion, [
      [0, 0],
      [1, 1],
    ]);
  });
});

describe('verdicts in plain words', () => {
  test('an out-of-distribution sample the model is sure of says so', () => {
    const v = verdicts({
      predicted: '0',
      confidence: 0.999,
      given: null,
      flags: DoubtFlag.ood,
      oodPercentile: 100,
      knnPercentile: 99.5,
      mspPercentile: 10,
      labelIssue: null,
      nearestLabel: '0',
    });
    assert.match(v[0]!, /^Looks out-of-distribution: farther from the training images than 99\.5% of real samples/);
    assert.match(v[0]!, /"0" with 99\.9% confidence/);
  });

  test("a sample called 'other' says whether the model or its distance called it", () => {
    const base = {
      predicted: 'other',
      confidence: 0.04,
      given: null,
      oodPercentile: 100,
      knnPercentile: 99.9,
      mspPercentile: 10,
      labelIssue: null,
      nearestLabel: '7',
    };
    const far = verdicts({ ...base, flags: DoubtFlag.ood | OTHER_BY_DISTANCE });
    assert.match(
      far[0]!,
      /^Called "other" for its distance: farther from every known class than 99\.9% of real samples/,
    );
    const byModel = verdicts({ ...base, confidence: 0.97, flags: DoubtFlag.ood });
    assert.match(byModel[0]!, /^Called "other" by the model: it resembles the samples marked "other" \(97%\)/);
    assert.ok(!byModel.some((line) => line.includes('for its distance')));
    // Far and called 'other' agree: no "yet the model says" against its own answer, and the
    // distance is said once.
    assert.equal(byModel[1], 'Looks out-of-distribution: farther from the training images than 99.9% of real samples.');
    assert.ok(!far.some((line) => line.startsWith('Looks out-of-distribution')));
    // Only known-class images are neighbours: not 'mostly "7", not "other"'.
    assert.equal(byModel.at(-1), 'Of the known classes, its nearest training images are mostly "7".');
  });

  test('a likely label error names both labels', () => {
    const v = verdicts({
      predicted: '7',
      confidence: 0.95,
      given: '1',
      flags: DoubtFlag.labelIssue,
      oodPercentile: 20,
      knnPercentile: 20,
      mspPercentile: 20,
      labelIssue: 0.93,
      nearestLabel: '7',
    });
    assert.match(v[0]!, /labeled "1", but the model says "7" \(label doubt 93%\)/);
    const same = verdicts({
      predicted: '8',
      confidence: 0.9,
      given: '8',
      flags: DoubtFlag.labelIssue,
      oodPercentile: 20,
      knnPercentile: 20,
      mspPercentile: 20,
      labelIssue: 0.7,
      nearestLabel: '8',
    });
    assert.match(same[0]!, /labeled "8", but models that never saw this label disagree/);
  });

  test('an ordinary sample is called ordinary', () => {
    const v = verdicts({
      predicted: '3',
      confidence: 0.97,
      given: '3',
      flags: 0,
      oodPercentile: 40,
      knnPercentile: 40,
      mspPercentile: 40,
      labelIssue: 0.01,
      nearestLabel: '3',
    });
    assert.equal(v.length, 1);
    assert.match(v[0]!, /^Looks ordinary/);
  });
});

describe('insights', () => {
  test('the confusion matrix counts given label against prediction, on every labelled row when none is held out', () => {
    const { t, data } = table();
    const ins = buildInsights(t, data.samples, ['0', '1', 'other']);
    assert.deepEqual(ins.confusion, [
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
    assert.deepEqual(ins.confusionOf, { rows: 'labelled', count: 3 });
    const ood = ins.histograms.find((h) => h.score === 'oodScore')!;
    assert.equal(ood.threshold, 1);
    assert.equal(
      ood.inDistribution.reduce((a, b) => a + b, 0),
      3,
    );
    assert.equal(
      ood.pool.reduce((a, b) => a + b, 0),
      2,
    );
  });

  test('with held-out rows the matrix counts only them: the model memorised the rest', () => {
    const { t, data } = table();
    const ins = buildInsights({ ...t, heldOutIndices: Int32Array.from([1]) }, data.samples, ['0', '1', 'other']);
    assert.deepEqual(ins.confusion, [
      [0, 0],
      [0, 1],
      [0, 0],
    ]);
    assert.deepEqual(ins.confusionOf, { rows: 'held-out', count: 1 });
  });
});
