// Temperature scaling recovers the temperature that generated the labels.
import { mulberry32 } from '../../src/main/engine/datasets/random.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  calibratedConfidence,
  fitTemperature,
  meanNll,
  temperatureScaledProbs,
} from '../../src/main/engine/scores/calibration.js';
import { softmax } from '../../src/main/engine/scores/softmax.js';

const rng = mulberry32;

/** Logits of an over-confident model: labels drawn from softmax(logits / tTrue). */
function synthetic(n: number, C: number, tTrue: number, seed: number): { logits: Float32Array; labels: Int32Array } {
  const r = rng(seed);
  const logits = new Float32Array(n * C);
  for (let i = 0; i < logits.length; i++) logits[i] = (r() - 0.5) * 12;
  const p = softmax(logits, C, tTrue);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let u = r();
    let c = 0;
    while (c < C - 1 && (u -= p[i * C + c]!) > 0) c++;
    labels[i] = c;
  }
  return { logits, labels };
}

for (const tTrue of [0.7, 2.5]) {
  test(`recovers T = ${tTrue} from labels generated at that temperature`, () => {
    const { logits, labels } = synthetic(4000, 5, tTrue, 11);
    const fit = fitTemperature(logits, 5, labels);
    assert.ok(Math.abs(fit.temperature / tTrue - 1) < 0.08, `fitted ${fit.temperature}, true ${tTrue}`);
    assert.ok(fit.nllAfter < fit.nllBefore, 'the fit must lower the NLL');
    assert.equal(fit.used, 4000);
    // It is a minimum: nudging T either way does not lower the NLL.
    for (const f of [0.95, 1.05])
      assert.ok(meanNll(logits, 5, labels, 1 / (fit.temperature * f)) >= fit.nllAfter - 1e-9);
  });
}

test('unlabelled rows are skipped; no labelled row means T = 1', () => {
  const { logits, labels } = synthetic(2000, 4, 2, 5);
  const withGaps = Int32Array.from(labels, (y, i) => (i % 2 ? -1 : y));
  const fit = fitTemperature(logits, 4, withGaps);
  assert.equal(fit.used, 1000);
  assert.ok(Math.abs(fit.temperature / 2 - 1) < 0.15, `fitted ${fit.temperature}`);
  assert.equal(fitTemperature(logits, 4, new Int32Array(2000).fill(-1)).temperature, 1);
  assert.throws(() => fitTemperature(logits, 4, new Int32Array(2000).fill(4)), /row 0 has label 4/);
});

test('perfectly classified rows push T to the range edge and say so', () => {
  // Every label is the arg-max: the sharper, the lower the NLL, without end.
  const logits = new Float32Array([5, 0, 0, 6, 1, 0]);
  const fit = fitTemperature(logits, 3, new Int32Array([0, 0]));
  assert.ok(fit.atBoundary, `temperature ${fit.temperature}`);
  assert.ok(fit.temperature < 0.06);
  const { logits: l2, labels } = synthetic(500, 3, 1.5, 9);
  assert.equal(fitTemperature(l2, 3, labels).atBoundary, false);
});

test('calibrated confidence is the probability of the predicted class', () => {
  const probs = new Float32Array([0.1, 0.9, 0.6, 0.4]);
  assert.deepEqual(Array.from(calibratedConfidence(probs, 2, new Int32Array([1, 0]))), [probs[1], probs[2]]);
  // A class outside 0..C-1 used to read the previous row's last probability (0.9 here) or NaN.
  assert.throws(() => calibratedConfidence(probs, 2, new Int32Array([1, -1])), /predicted: entry 1 is -1/);
  assert.throws(() => calibratedConfidence(probs, 2, new Int32Array([2, 0])), /predicted: entry 0 is 2/);
});

test('over-confident probability rows are softened to the temperature of their labels; NaN rows stay NaN', () => {
  const { logits, labels } = synthetic(4000, 5, 2.5, 13);
  const sharp = softmax(logits, 5, 1);
  sharp.fill(Number.NaN, 0, 5); // row 0: not judged
  const { probs, temperature } = temperatureScaledProbs(sharp, 5, labels);
  assert.ok(Math.abs(temperature / 2.5 - 1) < 0.08, `fitted ${temperature}`);
  assert.ok(Number.isNaN(probs[0]!) && Number.isNaN(probs[4]!));
  const truth = softmax(logits, 5, 2.5);
  for (let i = 5; i < 40; i++)
    assert.ok(Math.abs(probs[i]! - truth[i]!) < 0.02, `entry ${i}: ${probs[i]} vs ${truth[i]}`);
  for (let r = 1; r < 8; r++) {
    const sum = probs.subarray(r * 5, r * 5 + 5).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-5, `row ${r} sums to ${sum}`);
  }
  // Rows that are all right by a wide margin give no temperature: they are returned as they are.
  const right = new Float32Array([0.99, 0.01, 0.02, 0.98]);
  assert.equal(temperatureScaledProbs(right, 2, new Int32Array([0, 1])).probs, right);
});
