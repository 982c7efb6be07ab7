import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rowLogSumExp, softmax } from '../../src/main/engine/scores/softmax.js';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) < tol, `${a} != ${b}`);

test('softmax of log(1), log(2), log(3) is 1/6, 2/6, 3/6', () => {
  const p = softmax(new Float32Array([0, Math.log(2), Math.log(3)]), 3);
  [1 / 6, 2 / 6, 3 / 6].forEach((v, i) => close(p[i]!, v));
});

test('temperature divides the logits', () => {
  const p = softmax(new Float32Array([0, 2 * Math.log(2), 2 * Math.log(3), 5, 5, 5]), 3, 2);
  [1 / 6, 2 / 6, 3 / 6, 1 / 3, 1 / 3, 1 / 3].forEach((v, i) => close(p[i]!, v));
});

test('huge and tiny logits neither overflow nor underflow to NaN', () => {
  const p = softmax(new Float32Array([1000, 1000, -1000, 0]), 2);
  [0.5, 0.5, 0, 1].forEach((v, i) => close(p[i]!, v));
  const lse = rowLogSumExp(new Float32Array([1000, 1000, 0, 0, 0, 0]), 3);
  close(lse[0]!, 1000 + Math.log(2) + Math.log1p(Math.exp(-1000) / 2), 1e-9);
  close(lse[1]!, Math.log(3), 1e-12);
});

test('rows sum to 1', () => {
  const logits = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i) * 20);
  const p = softmax(logits, 5, 0.7);
  for (let r = 0; r < 10; r++)
    close(
      p.slice(r * 5, r * 5 + 5).reduce((a, b) => a + b, 0),
      1,
      1e-5,
    );
});

test('bad shapes and temperatures throw', () => {
  assert.throws(() => softmax(new Float32Array(5), 3), /length 5 is not a multiple of 3/);
  assert.throws(() => softmax(new Float32Array(3), 3, 0), /temperature/);
  assert.throws(() => softmax(new Float32Array([Number.NaN, 1]), 2), /row 0/);
});
