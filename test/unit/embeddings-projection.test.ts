import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classPlane, mapRows } from '../../src/main/engine/embeddings/projection.js';
import { makeRng } from '../../src/main/engine/model/rng.js';

describe("the embedding map's plane", () => {
  test('spreads the classes: each lies apart from the others, its samples together', () => {
    const dim = 40;
    const perClass = 400;
    const rng = makeRng(3);
    const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
    // Three classes whose means differ in a few of 40 dimensions, with noise in all of them
    // larger than the gap between means: the rows' own principal directions are the noise's.
    const means = [0, 1, 2].map((c) => Array.from({ length: dim }, (_, d) => (d === c ? 3 : 0)));
    const rows = new Float32Array(3 * perClass * dim);
    const group = new Int32Array(3 * perClass);
    for (let i = 0; i < 3 * perClass; i++) {
      group[i] = i % 3;
      for (let d = 0; d < dim; d++) rows[i * dim + d] = means[i % 3]![d]! + gauss() * (d >= 3 ? 4 : 0.5);
    }
    const pick = Int32Array.from({ length: 3 * perClass }, (_, i) => i);
    const { x, y } = classPlane(rows, dim, pick, group);
    const centre = (c: number) => {
      const idx = [...pick].filter((i) => group[i] === c);
      return [idx.reduce((s, i) => s + x[i]!, 0) / idx.length, idx.reduce((s, i) => s + y[i]!, 0) / idx.length];
    };
    const centres = [0, 1, 2].map(centre);
    const spreadOf = (c: number) => {
      const [cx, cy] = centres[c]!;
      const idx = [...pick].filter((i) => group[i] === c);
      return Math.sqrt(idx.reduce((s, i) => s + (x[i]! - cx!) ** 2 + (y[i]! - cy!) ** 2, 0) / idx.length);
    };
    const pairs: [number, number][] = [
      [0, 1],
      [0, 2],
      [1, 2],
    ];
    const gap = Math.min(
      ...pairs.map(([a, b]) => Math.hypot(centres[a]![0]! - centres[b]![0]!, centres[a]![1]! - centres[b]![1]!)),
    );
    for (const c of [0, 1, 2]) assert.ok(gap > 1.5 * spreadOf(c), `gap ${gap} against spread ${spreadOf(c)}`);
  });

  test('takes the pool first, then training samples evenly, at most max', () => {
    const split = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 'pool' : 'train') as 'pool' | 'train');
    const all = mapRows(split, 1000);
    assert.equal(all.length, 100);
    const some = mapRows(split, 20);
    assert.equal(some.length, 20);
    assert.equal([...some].filter((i) => split[i] === 'pool').length, 8, "the pool's share: 40%");
    assert.deepEqual(
      [...some],
      [...some].sort((a, b) => a - b),
    );
  });
});
