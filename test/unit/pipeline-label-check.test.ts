// Out-of-fold label check on real digits: flipped labels score higher than clean ones, and
// every labeled sample gets a score from a model that never saw it (unlabeled: NaN).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  foldEpochs,
  outOfFoldLabelIssues,
  outOfFoldProbs,
  withModelView,
} from '../../src/main/engine/pipeline/label-check.js';
import { Cnn, CnnClassifier } from '../../src/main/engine/model/cnn.js';

import { embedImages } from '../../src/main/engine/embeddings/embed.js';
import { softmax } from '../../src/main/engine/scores/index.js';
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
    { ids, inputs: data.pixels, labels, knownClasses: DIGITS, epochs: 3, seed: 1, folds: 2 },
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
    { ids: ids.slice(0, 400), inputs: data.pixels, labels: small, knownClasses: DIGITS, epochs: 1, seed: 2 },
    () => {},
  );
  assert.deepEqual(classes, DIGITS);
  small.forEach((l, i) => {
    const row = probs.subarray(i * 10, i * 10 + 10);
    if (l === null) assert.ok(row.every(Number.isNaN));
    else assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  });
});

test('a fold model of a small dataset trains longer, at most twice the epochs', () => {
  assert.equal(foldEpochs(3, 30_000, 128), 3, 'a big fold: the main epochs');
  assert.equal(foldEpochs(3, 10_000, 128), 3);
  assert.equal(foldEpochs(3, 5_000, 128), 6, '5k: 240 steps want 6 epochs');
  assert.equal(foldEpochs(3, 500, 128), 6, 'never more than twice');
  assert.equal(foldEpochs(5, 5_000, 128), 6);
});

test("the main model's view is averaged in on covered rows, for the same classes only", async () => {
  const model = new CnnClassifier(Cnn.create(10, 7), DIGITS);
  try {
    const n = 6;
    const oof = new Float32Array(n * 10).fill(0.1);
    oof.fill(Number.NaN, 2 * 10, 3 * 10); // row 2 not covered
    const avg = await withModelView(oof, DIGITS, model, data.pixels);
    const own = softmax((await embedImages(model, data.pixels, { indices: [0, 1, 3, 4, 5] })).logits, 10);
    [0, 1, 3, 4, 5].forEach((row, r) => {
      for (let c = 0; c < 10; c++) assert.ok(Math.abs(avg[row * 10 + c]! - (0.1 + own[r * 10 + c]!) / 2) < 1e-6);
    });
    assert.ok(avg.subarray(20, 30).every(Number.isNaN), 'an uncovered row stays uncovered');
    const other = [...DIGITS.slice(0, 9), 'other'];
    assert.equal(await withModelView(oof, other, model, data.pixels), oof, 'other classes: not averaged');
  } finally {
    model.dispose();
  }
});

test('a class of one sample is left unjudged: no fold model learned it, so its label is not flagged', async () => {
  const rows = 300;
  const few = labels.slice(0, rows);
  const lone = few.findIndex((l) => l === '3');
  few.forEach((l, i) => l === '3' && i !== lone && (few[i] = '2'));
  const issues = await outOfFoldLabelIssues(
    { ids: ids.slice(0, rows), inputs: data.pixels, labels: few, knownClasses: DIGITS, epochs: 1, seed: 3 },
    () => {},
  );
  assert.ok(Number.isNaN(issues.scores[lone]), `the lone '3' got ${issues.scores[lone]}`);
  few.forEach((l, i) => i !== lone && l !== null && assert.ok(!Number.isNaN(issues.scores[i]), `row ${i} unjudged`));
});
