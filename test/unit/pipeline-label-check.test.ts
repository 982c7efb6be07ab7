// Out-of-fold label check on real digits: flipped labels score higher than clean ones, and
// every labeled sample gets a score from a model that never saw it (unlabeled: NaN).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outOfFoldLabelIssues, outOfFoldProbs } from '../../src/main/engine/pipeline/label-check.js';
import { DIGITS, mnistArrays } from './model-fixtures.js';

const N = 2000;
const data = mnistArrays('train', 0, N);
const labels: (string | null)[] = Array.from(data.labels, String);
const flipped = new Set<number>();
for (let i = 0; i < N; i += 20) {
  labels[i] = String((data.labels[i]! + 3) % 10);
  flipped.add(i);
}
for (let i = 1; i < N; i += 97) labels[i] = null;
const ids = labels.map((_, i) => `x${i}`);

test('flipped labels get higher label-issue scores; unlabeled samples get NaN', async () => {
  const phases: string[] = [];
  const { scores: issue, threshold } = await outOfFoldLabelIssues(
    { ids, pixels: data.pixels, labels, knownClasses: DIGITS, epochs: 3, seed: 1, folds: 2 },
    (phase) => phases.push(phase),
  );
  assert.ok(phases.includes('training'));
  let flippedSum = 0;
  let cleanSum = 0;
  let clean = 0;
  labels.forEach((l, i) => {
    if (l === null) return assert.ok(Number.isNaN(issue[i]), `unlabeled ${i} got ${issue[i]}`);
    assert.ok(issue[i]! >= 0 && issue[i]! <= 1, `sample ${i}: ${issue[i]}`);
    if (flipped.has(i)) flippedSum += issue[i]!;
    else {
      cleanSum += issue[i]!;
      clean++;
    }
  });
  const flippedMean = flippedSum / flipped.size;
  const cleanMean = cleanSum / clean;
  assert.ok(flippedMean > cleanMean + 0.4, `flipped ${flippedMean} vs clean ${cleanMean}`);
  // Confident learning's threshold flags mostly flipped labels, not every hard sample.
  let flaggedFlipped = 0;
  let flagged = 0;
  labels.forEach((l, i) => {
    if (l !== null && issue[i]! > threshold) {
      flagged++;
      if (flipped.has(i)) flaggedFlipped++;
    }
  });
  assert.ok(threshold >= 0.5 && threshold < 1, `threshold ${threshold}`);
  assert.ok(flaggedFlipped / flagged > 0.6, `${flaggedFlipped} of ${flagged} flagged are flipped labels`);
});

test('out-of-fold probabilities are complete rows for labeled samples only', async () => {
  const small = labels.slice(0, 400);
  const { probs, classes } = await outOfFoldProbs(
    { ids: ids.slice(0, 400), pixels: data.pixels, labels: small, knownClasses: DIGITS, epochs: 1, seed: 2 },
    () => {},
  );
  assert.deepEqual(classes, DIGITS);
  small.forEach((l, i) => {
    const row = probs.subarray(i * 10, i * 10 + 10);
    if (l === null) assert.ok(row.every(Number.isNaN));
    else assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  });
});
