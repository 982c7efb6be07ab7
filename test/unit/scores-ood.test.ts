// The combined OOD score: fitted on in-distribution data only, threshold at 95% of it,
// rising with the 'other' probability.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_OOD_WEIGHTS,
  SUPPORT_CAP,
  fitOodScorer,
  type OodComponents,
} from '../../src/main/engine/scores/ood-score.js';

/** Held-out in-distribution components: close neighbours, low energy, confident. */
function heldOut(n: number): OodComponents {
  const u = (i: number, s: number) => (Math.sin(i * 12.9898 + s) * 43758.5453) % 1;
  const frac = (x: number) => x - Math.floor(x);
  return {
    knnDistance: Float32Array.from({ length: n }, (_, i) => 0.05 + 0.1 * frac(u(i, 1))),
    energy: Float32Array.from({ length: n }, (_, i) => -20 + 6 * frac(u(i, 2))),
    msp: Float32Array.from({ length: n }, (_, i) => 0.02 * frac(u(i, 3)) ** 4),
  };
}

const one = (knnDistance: number, energy: number, msp: number): OodComponents => ({
  knnDistance: new Float32Array([knnDistance]),
  energy: new Float32Array([energy]),
  msp: new Float32Array([msp]),
});

test('95% of the held-out in-distribution samples are at or below the threshold', () => {
  const h = heldOut(1000);
  const s = fitOodScorer(h);
  const scores = s.score(h);
  const below = scores.filter((x) => x <= s.threshold).length;
  assert.ok(below >= 950 && below <= 951, `${below} of 1000 at or below`);
});

test('a far sample scores above the threshold even with confident logits', () => {
  const s = fitOodScorer(heldOut(500));
  // Feature distance far beyond any held-out sample, logits huge (energy very low), msp 0:
  // the scribble a CNN calls "0" at 100%.
  assert.ok(s.score(one(0.6, -80, 0))[0]! > s.threshold);
  // A typical sample stays below.
  assert.ok(s.score(one(0.08, -18, 0.001))[0]! < s.threshold);
  // Each weighted component raises the score when it rises, all else fixed.
  const w = fitOodScorer(heldOut(500), { weights: { knnDistance: 1, energy: 0.5, msp: 0.25 } });
  const base = w.score(one(0.1, -17, 0.005))[0]!;
  assert.ok(w.score(one(0.2, -17, 0.005))[0]! > base);
  assert.ok(w.score(one(0.1, -12, 0.005))[0]! > base);
  assert.ok(w.score(one(0.1, -17, 0.2))[0]! > base);
  // Energy and msp only support: far below their median they do not pull the score down.
  assert.equal(w.score(one(0.1, -500, 0))[0], w.score(one(0.1, -20, 0))[0]);
});

test('ood score rises with p(other) and crosses the threshold above 0.5', () => {
  const s = fitOodScorer(heldOut(500));
  const typical = one(0.08, -18, 0.001);
  let prev = -Infinity;
  for (const p of [0, 0.2, 0.4, 0.5, 0.51, 0.6, 0.8, 1]) {
    const v = s.score({ ...typical, pOther: new Float32Array([p]) })[0]!;
    assert.ok(v >= prev, `p=${p}: ${v} < ${prev}`);
    prev = v;
    if (p > 0.5) assert.ok(v > s.threshold, `p=${p}: ${v} not above ${s.threshold}`);
    if (p < 0.5) assert.ok(v <= s.threshold, `p=${p}: typical sample flagged`);
  }
  // Without an 'other' column it is the combined score.
  assert.deepEqual(s.score(typical), s.combine(typical));
});

test('outliers scored beside a sample do not move its score: rows are scored one by one', () => {
  const s = fitOodScorer(heldOut(300));
  const alone = s.score(one(0.12, -18, 0.01))[0];
  const outliers = 50;
  const batch: OodComponents = {
    knnDistance: Float32Array.from({ length: outliers + 1 }, (_, i) => (i === 0 ? 0.12 : 0.9)),
    energy: Float32Array.from({ length: outliers + 1 }, (_, i) => (i === 0 ? -18 : -1)),
    msp: Float32Array.from({ length: outliers + 1 }, (_, i) => (i === 0 ? 0.01 : 0.6)),
  };
  const scored = s.score(batch);
  assert.equal(scored[0], alone);
  for (let i = 1; i <= outliers; i++) assert.ok(scored[i]! > s.threshold, `outlier ${i} scored ${scored[i]}`);
});

test('degenerate and bad input', () => {
  const flat = {
    knnDistance: new Float32Array(10).fill(0.1),
    energy: new Float32Array(10).fill(-5),
    msp: new Float32Array(10),
  };
  const s = fitOodScorer(flat);
  assert.ok(Number.isFinite(s.threshold));
  assert.ok(s.score(one(0.5, -5, 0))[0]! > s.threshold);
  assert.throws(
    () => fitOodScorer({ knnDistance: new Float32Array(0), energy: new Float32Array(0), msp: new Float32Array(0) }),
    /no held-out/,
  );
  assert.throws(() => fitOodScorer({ ...flat, msp: new Float32Array(3) }), /held-out msp: expected 10/);
  assert.throws(() => fitOodScorer(flat, { weights: { energy: -1 } }), /weight energy/);
  assert.throws(() => s.score({ ...one(0.1, 0, 0), pOther: new Float32Array([2]) }), /pOther: row 0/);
});

test('a Mahalanobis column is averaged in at its weight; a scorer fitted with it requires it', () => {
  const h = heldOut(500);
  const maha = Float32Array.from(h.knnDistance, (x, i) => 100 + 40 * x + (i % 7));
  const only = { knnDistance: 1, knnExcess: 0, mahalanobis: 1, energy: 0 };
  const s = fitOodScorer({ ...h, mahalanobis: maha }, { weights: only });
  const k = s.scales.knnDistance;
  const m = s.scales.mahalanobis;
  const c = s.combine({ ...one(0.3, -20, 0), mahalanobis: new Float32Array([500]) })[0]!;
  const want = ((0.3 - k.median) / k.spread + (500 - m.median) / m.spread) / 2;
  assert.ok(Math.abs(c - want) < 1e-4, `${c} vs ${want}`);
  assert.throws(() => s.combine(one(0.3, -20, 0)), /fitted with it, the input has none/);
  // Without the column its weight takes no part: knn alone.
  const plain = fitOodScorer(h, { weights: only });
  assert.ok(Math.abs(plain.combine(one(0.3, -20, 0))[0]! - (0.3 - k.median) / k.spread) < 1e-5);
});

test('by default: knn excess and Mahalanobis at weight 1, energy at half weight and only its clipped excess', () => {
  assert.deepEqual(DEFAULT_OOD_WEIGHTS, { knnExcess: 1, energy: 0.5, mahalanobis: 1 });
  const h = heldOut(500);
  const maha = Float32Array.from(h.knnDistance, (x, i) => 100 + 40 * x + (i % 7));
  const excess = Float32Array.from(h.knnDistance, (x, i) => x - 0.2 + 0.01 * (i % 5));
  const s = fitOodScorer({ ...h, knnExcess: excess, mahalanobis: maha });
  const { knnExcess: x, mahalanobis: m, energy: e } = s.scales;
  const base = (0.25 - x.median) / x.spread + (500 - m.median) / m.spread;
  const at = (energy: number, knn = 0.3) =>
    s.combine({
      ...one(knn, energy, 0.5),
      knnExcess: new Float32Array([0.25]),
      mahalanobis: new Float32Array([500]),
    })[0]!; // one row in, one score out
  // The plain distance takes no part once its excess is there.
  assert.equal(at(e.median - 5, 0.3), at(e.median - 5, 0.9));
  // Energy below its held-out median adds nothing (msp, not weighted, never does).
  assert.ok(Math.abs(at(e.median - 5) - base / 2.5) < 1e-4);
  // Above it, half its excess on the common scale...
  const above = e.median + 1.5 * e.spread;
  assert.ok(Math.abs(at(above) - (base + 0.5 * 1.5) / 2.5) < 1e-4, `${at(above)}`);
  // ...up to SUPPORT_CAP.
  assert.ok(Math.abs(at(e.median + 50 * e.spread) - (base + 0.5 * SUPPORT_CAP) / 2.5) < 1e-4);
  assert.throws(() => s.combine({ ...one(0.3, 0, 0.5), mahalanobis: new Float32Array([500]) }), /knnExcess/);
});

test('without a knn excess column the plain knn distance takes its weight', () => {
  const h = heldOut(500);
  const s = fitOodScorer(h, { weights: { energy: 0 } });
  assert.equal(s.weights.knnDistance, DEFAULT_OOD_WEIGHTS.knnExcess);
  const k = s.scales.knnDistance;
  assert.ok(Math.abs(s.combine(one(0.3, -20, 0))[0]! - (0.3 - k.median) / k.spread) < 1e-5);
});
