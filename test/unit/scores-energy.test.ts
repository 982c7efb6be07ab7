import assert from 'node:assert/strict';
import { test } from 'node:test';
import { energyScore } from '../../src/main/engine/scores/energy.js';

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) < tol, `${a} != ${b}`);

test('energy = -T logsumexp(logits / T)', () => {
  const e = energyScore(new Float32Array([0, 0, 2, 2, 10, -5]), 2);
  close(e[0]!, -Math.log(2));
  close(e[1]!, -(2 + Math.log(2)));
  close(e[2]!, -(10 + Math.log1p(Math.exp(-15))));
  const t = energyScore(new Float32Array([2, 2]), 2, 2);
  close(t[0]!, -2 * (1 + Math.log(2)));
});

test('confident logits give lower energy than flat small ones (higher = more doubtful)', () => {
  const e = energyScore(new Float32Array([12, 0, 0, 0.1, 0.2, 0]), 3);
  assert.ok(e[0]! < e[1]!);
});

test('columns restricts the sum: a large other logit does not lower the energy', () => {
  const logits = new Float32Array([0, 0, 100]);
  close(energyScore(logits, 3, 1, [0, 1])[0]!, -Math.log(2));
  close(energyScore(logits, 3)[0]!, -100, 1e-4);
  assert.throws(() => energyScore(logits, 3, 1, [0, 3]), /column 3/);
  assert.throws(() => energyScore(logits, 3, 1, []), /empty/);
});
