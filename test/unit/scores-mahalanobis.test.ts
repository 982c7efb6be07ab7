// Tied-covariance Gaussian distance on synthetic Gaussians whose true means and covariance
// are known, so the expected squared Mahalanobis distances are known too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DegenerateCovariance,
  fitTiedGaussian,
  invertSpd,
  mahalanobisScore,
} from '../../src/main/engine/scores/mahalanobis.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
}

/** Standard deviations along the axes of a rotated frame: 2 along (1,1)/√2, 0.5 along (1,-1)/√2. */
const SD = [2, 0.5];
const AXES = [
  [Math.SQRT1_2, Math.SQRT1_2],
  [Math.SQRT1_2, -Math.SQRT1_2],
];
const MEANS = [
  [0, 0],
  [10, -10],
];

function sample(perClass: number, seed: number): { vecs: Float32Array; cls: Int32Array } {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
  const vecs = new Float32Array(2 * perClass * 2);
  const cls = new Int32Array(2 * perClass);
  for (let i = 0; i < 2 * perClass; i++) {
    const c = i % 2;
    const a = SD[0]! * gauss();
    const b = SD[1]! * gauss();
    cls[i] = c;
    vecs[2 * i] = MEANS[c]![0]! + a * AXES[0]![0]! + b * AXES[1]![0]!;
    vecs[2 * i + 1] = MEANS[c]![1]! + a * AXES[0]![1]! + b * AXES[1]![1]!;
  }
  return { vecs, cls };
}

/** A point `t` standard deviations from class c's mean along axis `axis`. */
const at = (c: number, axis: number, t: number): number[] => [
  MEANS[c]![0]! + t * SD[axis]! * AXES[axis]![0]!,
  MEANS[c]![1]! + t * SD[axis]! * AXES[axis]![1]!,
];

test('recovers the class means and the true squared Mahalanobis distances', () => {
  const { vecs, cls } = sample(5000, 7);
  const m = fitTiedGaussian(vecs, 2, cls);
  assert.deepEqual(Array.from(m.classes), [0, 1]);
  for (let c = 0; c < 2; c++)
    for (let j = 0; j < 2; j++) assert.ok(Math.abs(m.means[c * 2 + j]! - MEANS[c]![j]!) < 0.1, `mean ${c},${j}`);
  assert.ok(m.shrinkage < 0.05, `shrinkage ${m.shrinkage} with plenty of data`);
  // Two standard deviations along either axis is squared distance 4, although one point is
  // four times as far in Euclidean terms as the other.
  const q = Float32Array.from([...at(0, 0, 2), ...at(0, 1, 2), ...at(1, 1, 3), ...MEANS[1]!]);
  const d = mahalanobisScore(m, q);
  const want = [4, 4, 9, 0];
  for (let i = 0; i < want.length; i++)
    assert.ok(Math.abs(d[i]! - want[i]!) < 0.05 * want[i]! + 0.02, `row ${i}: ${d[i]} vs ${want[i]}`);
});

test('the score is the minimum over classes of the model own quadratic form', () => {
  const { vecs, cls } = sample(300, 3);
  const m = fitTiedGaussian(vecs, 2, cls);
  const q = Float32Array.from([3, -4, 20, 20, -1, 2, 5, -5]);
  const d = mahalanobisScore(m, q);
  for (let i = 0; i < 4; i++) {
    let best = Infinity;
    for (let c = 0; c < 2; c++) {
      const x = [q[2 * i]! - m.means[2 * c]!, q[2 * i + 1]! - m.means[2 * c + 1]!];
      const p = m.precision;
      best = Math.min(best, x[0]! * (p[0]! * x[0]! + p[1]! * x[1]!) + x[1]! * (p[2]! * x[0]! + p[3]! * x[1]!));
    }
    assert.ok(Math.abs(d[i]! - best) < 1e-3 * Math.max(1, best), `row ${i}: ${d[i]} vs ${best}`);
  }
});

test('few samples in many dimensions: shrinkage keeps the inverse finite', () => {
  const dim = 16;
  const r = rng(11);
  const vecs = Float32Array.from({ length: 6 * dim }, () => r());
  const m = fitTiedGaussian(vecs, dim, Int32Array.from([0, 0, 0, 1, 1, 1]));
  assert.ok(m.shrinkage > 0 && m.shrinkage <= 1);
  const d = mahalanobisScore(m, vecs);
  assert.ok(d.every((x) => Number.isFinite(x) && x >= 0));
});

test('rows of class -1 are left out; bad shapes are named', () => {
  const { vecs, cls } = sample(200, 5);
  const mixed = Int32Array.from(cls, (c, i) => (i % 10 === 0 ? -1 : c));
  const far = new Float32Array(vecs);
  for (let i = 0; i < mixed.length; i++) if (mixed[i] === -1) far[2 * i] = 1e4;
  const a = fitTiedGaussian(far, 2, mixed);
  const b = fitTiedGaussian(vecs, 2, mixed);
  assert.ok(Math.abs(a.means[0]! - b.means[0]!) < 1e-4);
  assert.throws(() => fitTiedGaussian(vecs, 3, cls), /vectors: length 800 is not a multiple of 3/);
  assert.throws(() => fitTiedGaussian(vecs, 2, cls.subarray(1)), /classOf has 399 entries for 400/);
  assert.throws(() => fitTiedGaussian(vecs, 2, new Int32Array(400).fill(-1)), /at least 2/);
  assert.throws(() => mahalanobisScore(a, new Float32Array(3)), /mahalanobisScore: vectors/);
});

/** A random d x d SPD matrix: B B^T / d plus a ridge, from a seeded generator. */
function spd(d: number, seed: number): Float64Array {
  const r = rng(seed);
  const B = Float64Array.from({ length: d * d }, () => r() - 0.5);
  const A = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += B[i * d + k]! * B[j * d + k]!;
      A[i * d + j] = A[j * d + i] = s / d + (i === j ? 0.05 : 0);
    }
  return A;
}

test('invertSpd: A times its inverse is the identity, in one piece and by halves', () => {
  // 200 is one float64 piece; 300 and 700 are split in halves once and twice.
  for (const d of [200, 300, 700]) {
    const A = spd(d, d);
    const P = invertSpd(A, d);
    let worst = 0;
    for (let i = 0; i < d; i += 7)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += A[i * d + k]! * P[k * d + j]!;
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    assert.ok(worst < (d <= 256 ? 1e-6 : 1e-4), `d = ${d}: A P differs from I by ${worst}`);
    for (let i = 0; i < d; i += 13) for (let j = 0; j < i; j++) assert.equal(P[i * d + j], P[j * d + i]);
  }
});

test('invertSpd: a singular matrix is refused by halves too', () => {
  const d = 300;
  const A = spd(d, 3);
  // The last row and column repeat the first: A is singular, though its first half is not.
  for (let k = 0; k < d; k++) {
    A[(d - 1) * d + k] = A[k]!;
    A[k * d + d - 1] = A[k * d]!;
  }
  A[d * d - 1] = A[0]!;
  assert.throws(() => invertSpd(A, d), DegenerateCovariance);
});
