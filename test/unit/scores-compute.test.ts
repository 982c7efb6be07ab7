// computeScores end to end on a small hand-built scene whose doubtful rows are known.
import { mulberry32 } from '../../src/main/engine/datasets/random.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DoubtFlag, OTHER_BY_DISTANCE } from '../../src/shared/api.js';
import { computeScores, type ScoreInputs } from '../../src/main/engine/scores/index.js';

const rng = mulberry32;

const K = 5;
const HELD = 200;
const N = 400;
const FAR = 200; // confident logits, no close neighbour: the scribble called "0"
const AMBIGUOUS = 201; // flat logits
const MISLABELLED = 202; // labelled 1, out-of-fold model sure it is 0
const OTHERISH = 203; // the model's 'other' column wins (when it has one)

/** Rows 0..199 held out (labelled), 200..399 pool-like; C known classes (+ 'other' last if withOther). */
function scene(withOther: boolean): ScoreInputs {
  const r = rng(3);
  const known = 3;
  const C = known + (withOther ? 1 : 0);
  const logits = new Float32Array(N * C);
  const labels = new Int32Array(N).fill(-1);
  const knnSims = new Float32Array(N * K);
  for (let i = 0; i < N; i++) {
    const y = i % known;
    // 8% of held-out rows get a logit pattern of another class: a realistic error rate, so
    // the fitted temperature stays finite.
    const shown = i < HELD && r() < 0.08 ? (y + 1) % known : y;
    for (let c = 0; c < C; c++)
      logits[i * C + c] = (r() - 0.5) * 3 + (c === shown ? 7 : 0) - (withOther && c === known ? 4 : 0);
    if (i < HELD) labels[i] = y;
    let s = 0.95 - 0.1 * r();
    for (let j = 0; j < K; j++) knnSims[i * K + j] = s -= 0.02 * r();
  }
  const set = (i: number, row: number[], sims: number) => {
    row.forEach((v, c) => (logits[i * C + c] = v));
    for (let j = 0; j < K; j++) knnSims[i * K + j] = sims - 0.01 * j;
  };
  set(FAR, [25, 0, 0, ...(withOther ? [-4] : [])], 0.3);
  set(AMBIGUOUS, [1, 1, 1, ...(withOther ? [-4] : [])], 0.85);
  set(MISLABELLED, [7, 0, 0, ...(withOther ? [-4] : [])], 0.9);
  set(OTHERISH, [0, 1, 0, ...(withOther ? [12] : [])], 0.85);
  labels[MISLABELLED] = 1;
  const oofProbs = new Float32Array(N * C).fill(Number.NaN);
  for (let i = 0; i < N; i++) {
    if (labels[i]! < 0) continue;
    for (let c = 0; c < C; c++) oofProbs[i * C + c] = c === labels[i] ? 0.9 : 0.1 / (C - 1);
  }
  oofProbs.set(withOther ? [0.95, 0.03, 0.01, 0.01] : [0.95, 0.03, 0.02], MISLABELLED * C);
  return {
    logits,
    numClasses: C,
    otherClass: withOther ? known : -1,
    knnSims,
    k: K,
    heldOutIndices: Int32Array.from({ length: HELD }, (_, i) => i),
    labels,
    oofProbs,
  };
}

test('every column has the right shape and orientation', () => {
  const inp = scene(false);
  const s = computeScores(inp);
  for (const col of [
    s.confidence,
    s.msp,
    s.margin,
    s.entropy,
    s.energy,
    s.knnDistance,
    s.oodScore,
    s.labelIssue,
    s.reviewPriority,
  ]) {
    assert.equal(col.length, N);
  }
  assert.equal(s.probs.length, N * 3);
  assert.equal(s.flags.length, N);
  assert.ok(s.temperature > 0.05 && s.temperature < 20, `temperature ${s.temperature}`);
  for (let i = 0; i < N; i++) {
    assert.ok(Math.abs(s.confidence[i]! + s.msp[i]! - 1) < 1e-6);
    assert.equal(s.confidence[i], s.probs[i * 3 + s.predicted[i]!]);
  }
  assert.ok(Number.isNaN(s.labelIssue[300]), 'unlabelled rows have no label issue');
  assert.equal(s.heldOutReference, HELD);
  // More doubtful rows score higher on each doubt column.
  assert.ok(s.knnDistance[FAR]! > s.knnDistance[0]!);
  assert.ok(s.msp[AMBIGUOUS]! > s.msp[FAR]!);
  assert.ok(s.entropy[AMBIGUOUS]! > s.entropy[FAR]!);
  assert.ok(s.margin[AMBIGUOUS]! > s.margin[FAR]!);
  assert.ok(s.labelIssue[MISLABELLED]! > s.labelIssue[0]!);
});

test('thresholds, held-out arrays, flags and queue order', () => {
  const s = computeScores(scene(false));
  for (const key of ['oodScore', 'knnDistance', 'msp'] as const) {
    const a = s.heldOut[key];
    assert.equal(a.length, HELD);
    for (let i = 1; i < a.length; i++) assert.ok(a[i - 1]! <= a[i]!, `heldOut.${key} not sorted`);
  }
  const atOrBelow = s.heldOut.oodScore.filter((x) => x <= s.thresholds.ood).length;
  assert.ok(
    atOrBelow >= 0.95 * HELD && atOrBelow <= 0.95 * HELD + 1,
    `${atOrBelow} held-out at or below the ood threshold`,
  );
  assert.ok(s.thresholds.labelIssue >= 0.5 && s.thresholds.labelIssue < 0.95);
  assert.ok(s.thresholds.lowConfidence >= 0.5);

  assert.ok(s.flags[FAR]! & DoubtFlag.ood, 'far sample flagged ood');
  assert.equal(s.flags[FAR]! & DoubtFlag.lowConfidence, 0, 'far sample is confident');
  assert.ok(s.flags[AMBIGUOUS]! & DoubtFlag.lowConfidence, 'flat logits flagged low confidence');
  assert.ok(s.flags[MISLABELLED]! & DoubtFlag.labelIssue, 'mislabelled row flagged');
  for (let i = 0; i < N; i++) {
    assert.equal(!!(s.flags[i]! & DoubtFlag.ood), s.oodScore[i]! > s.thresholds.ood);
    assert.equal(!!(s.flags[i]! & DoubtFlag.lowConfidence), s.msp[i]! > s.thresholds.lowConfidence);
  }
  const order = Array.from(s.reviewPriority.keys()).sort((a, b) => s.reviewPriority[b]! - s.reviewPriority[a]!);
  const flagged = order.filter((i) => s.flags[i]).length;
  assert.ok(
    order.slice(0, flagged).every((i) => s.flags[i] !== 0),
    'flagged rows come first',
  );
  for (const i of [FAR, AMBIGUOUS, MISLABELLED]) assert.ok(order.indexOf(i) < flagged, `row ${i} in the flagged head`);
});

test("with an 'other' class: a confident 'other' is flagged ood, other-labelled held-out rows are not reference", () => {
  const inp = scene(true);
  inp.labels[5] = 3; // a held-out row the reviewer marked 'other'
  const s = computeScores(inp);
  assert.equal(s.heldOutReference, HELD - 1);
  assert.equal(s.predicted[OTHERISH], 3);
  assert.ok(s.oodScore[OTHERISH]! > s.thresholds.ood, 'predicted other must rise above the ood threshold');
  assert.ok(s.flags[OTHERISH]! & DoubtFlag.ood);
  // Energy ignores the other logit: the 12 there does not make the row look familiar.
  assert.ok(s.energy[OTHERISH]! > s.energy[FAR]!);
  // Same scene without the other column's win: the row is not flagged.
  const calm = scene(true);
  calm.logits[OTHERISH * 4 + 3] = -4;
  calm.logits[OTHERISH * 4 + 1] = 7;
  assert.equal(computeScores(calm).flags[OTHERISH]! & DoubtFlag.ood, 0);
});

test("a row far outside every known class is called 'other' once the model has that class", () => {
  const withOther = computeScores(scene(true));
  assert.ok(withOther.oodScore[FAR]! > withOther.oodScorer.farThreshold, 'the scene makes FAR far');
  assert.equal(withOther.predicted[FAR], 3, 'far row predicted other');
  assert.ok(withOther.flags[FAR]! & OTHER_BY_DISTANCE);
  assert.equal(withOther.confidence[FAR], withOther.probs[FAR * 4 + 3], "confidence is the 'other' probability");
  // The classifier's own 'other' is not "by distance"; ordinary rows keep their class.
  assert.equal(withOther.predicted[OTHERISH], 3);
  assert.equal(withOther.flags[OTHERISH]! & OTHER_BY_DISTANCE, 0);
  assert.equal(withOther.predicted[AMBIGUOUS], 0);
  for (let i = 0; i < HELD; i++) if (withOther.flags[i]! & OTHER_BY_DISTANCE) assert.fail(`held-out row ${i} far`);
  // Without an 'other' class nothing is overridden: the far row keeps the classifier's answer.
  const without = computeScores(scene(false));
  assert.equal(without.predicted[FAR], 0);
  assert.equal(without.flags[FAR]! & OTHER_BY_DISTANCE, 0);
});

test('bad input names the argument', () => {
  const inp = scene(false);
  assert.throws(() => computeScores({ ...inp, knnSims: new Float32Array(3) }), /knnSims \(N x k\): expected 2000/);
  assert.throws(
    () => computeScores({ ...inp, labels: new Int32Array(N).fill(-1) }),
    /no held-out row has a known-class label/,
  );
  assert.throws(
    () => computeScores({ ...inp, labelIssues: { scores: new Float32Array(N), threshold: 0.5, estimatedIssues: 0 } }),
    /at most one of oofProbs, labelIssues and labelIssue/,
  );
  // A bare column is flagged above the floor.
  const bare = computeScores({
    ...inp,
    oofProbs: null,
    labelIssue: Float32Array.from({ length: N }, (_, i) => (i === 7 ? 0.6 : 0.1)),
  });
  assert.equal(bare.thresholds.labelIssue, 0.5);
  assert.ok(bare.flags[7]! & DoubtFlag.labelIssue);
  // Without out-of-fold data: no label issues, nothing flagged for them.
  const none = computeScores({ ...inp, oofProbs: null });
  assert.ok(none.labelIssue.every((x) => Number.isNaN(x)));
  assert.ok(none.flags.every((f) => (f & DoubtFlag.labelIssue) === 0));
  assert.throws(() => computeScores({ ...inp, heldOutIndices: new Int32Array([N]) }), /heldOutIndices\[0\] = 400/);
  assert.throws(() => computeScores({ ...inp, otherClass: 3 }), /otherClass 3/);
  const fixedT = computeScores({ ...inp, temperature: 2 });
  assert.equal(fixedT.temperature, 2);
  // Too few held-out rows to calibrate on: T stays 1.
  assert.equal(computeScores({ ...inp, heldOutIndices: Int32Array.from({ length: 10 }, (_, i) => i) }).temperature, 1);
});
