// MC-dropout disagreement from hand-built pass probabilities: dissenting passes dominate,
// the spread of the top class orders rows whose passes all agree, and bad shapes are named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mcDisagreement } from '../../src/main/engine/scores/mc-disagreement.js';

/** rows of passes of [p0, p1, p2] -> flat n x passes x 3. */
const stack = (rows: number[][][]) => Float32Array.from(rows.flat(2));

test('passes that all agree with identical probabilities score 0; dissent counts per pass', () => {
  const s = mcDisagreement(
    stack([
      [
        [0.8, 0.1, 0.1],
        [0.8, 0.1, 0.1],
        [0.8, 0.1, 0.1],
        [0.8, 0.1, 0.1],
      ],
      [
        [0.8, 0.1, 0.1],
        [0.8, 0.1, 0.1],
        [0.8, 0.1, 0.1],
        [0.1, 0.8, 0.1],
      ],
    ]),
    4,
    3,
  );
  assert.equal(s[0], 0);
  // One dissenting pass of four; class 0's mean probability 0.625, variance
  // (3 * 0.175^2 + 0.525^2) / 4 = 0.091875, so 4v = 0.3675.
  assert.ok(Math.abs(s[1]! - (1 + 0.3675) / 4) < 1e-6, `${s[1]}`);
});

test('among unanimous rows the spread of the top probability orders them, below any dissent', () => {
  const unanimousWide = [
    [0.99, 0.005, 0.005],
    [0.4, 0.35, 0.25],
    [0.99, 0.005, 0.005],
    [0.4, 0.35, 0.25],
  ];
  const unanimousNarrow = [
    [0.7, 0.2, 0.1],
    [0.6, 0.3, 0.1],
    [0.7, 0.2, 0.1],
    [0.6, 0.3, 0.1],
  ];
  const oneDissent = [
    [0.5, 0.45, 0.05],
    [0.5, 0.45, 0.05],
    [0.5, 0.45, 0.05],
    [0.45, 0.5, 0.05],
  ];
  const [wide, narrow, dissent] = mcDisagreement(stack([unanimousWide, unanimousNarrow, oneDissent]), 4, 3);
  assert.ok(wide !== undefined && narrow !== undefined && dissent !== undefined, 'three rows');
  assert.ok(narrow > 0 && wide > narrow, `${wide} ${narrow}`);
  assert.ok(wide < 1 / 4, 'no unanimous row reaches one dissenting pass');
  assert.ok(dissent >= 1 / 4 && dissent > wide, `${dissent}`);
  for (const v of [wide, narrow, dissent]) assert.ok(v >= 0 && v < 1);
});

test('the majority class, not pass 0, is what passes dissent from', () => {
  const s = mcDisagreement(
    stack([
      [
        [0.1, 0.9, 0],
        [0.9, 0.1, 0],
        [0.9, 0.1, 0],
      ],
    ]),
    3,
    3,
  );
  // One dissenter (pass 0); class 0 mean 0.6333, variance 2/9 * 0.2667^2 + 1/3 * 0.5333^2.
  const mu = 1.9 / 3;
  const v = ((0.1 - mu) ** 2 + 2 * (0.9 - mu) ** 2) / 3;
  assert.ok(Math.abs(s[0]! - (1 + Math.min(4 * v, 0.999)) / 3) < 1e-6, `${s[0]}`);
});

test('a row with a non-finite probability is NaN, the others are unaffected', () => {
  const s = mcDisagreement(
    stack([
      [
        [0.5, Number.NaN, 0.5],
        [0.5, 0.25, 0.25],
      ],
      [
        [1, 0, 0],
        [1, 0, 0],
      ],
    ]),
    2,
    3,
  );
  assert.ok(Number.isNaN(s[0]));
  assert.equal(s[1], 0);
});

test('bad shapes and pass counts are named', () => {
  assert.throws(() => mcDisagreement(new Float32Array(7), 2, 3), /mcDisagreement probs.*not a multiple of 6/);
  assert.throws(() => mcDisagreement(new Float32Array(6), 1, 3), /passes must be an integer >= 2, got 1/);
  assert.equal(mcDisagreement(new Float32Array(0), 4, 10).length, 0);
});
