// A 2-D picture of the embedding space for the app's map, found by power iteration on the
// class means (a few thousand rows take well under a second).
import { makeRng } from '../model/rng.js';

export interface Projection {
  x: Float32Array;
  y: Float32Array;
}

/**
 * Rows `pick` of `rows` (n x dim) on the plane that spreads their groups (classes) the most:
 * the two principal directions of the group means. The principal directions of the rows
 * themselves mostly show how samples vary within a class, and put every class on one blob.
 */
export function classPlane(
  rows: Float32Array,
  dim: number,
  pick: Int32Array,
  group: Int32Array,
  iterations = 60,
): Projection {
  const groups = new Map<number, { sum: Float64Array; n: number }>();
  pick.forEach((r, i) => {
    const g = group[i]!;
    let acc = groups.get(g);
    if (!acc) groups.set(g, (acc = { sum: new Float64Array(dim), n: 0 }));
    for (let d = 0; d < dim; d++) acc.sum[d]! += rows[r * dim + d]!;
    acc.n++;
  });
  const means = [...groups.values()].map(({ sum, n }) => sum.map((v) => v / n));
  const centre = new Float64Array(dim);
  for (const m of means) for (let d = 0; d < dim; d++) centre[d]! += m[d]! / means.length;
  const spread = means.map((m) => m.map((v, d) => v - centre[d]!));
  const rng = makeRng(7);
  const components: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: dim }, () => rng() - 0.5);
    for (let it = 0; it < iterations; it++) {
      const next = new Float64Array(dim);
      for (const m of spread) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += m[d]! * v[d]!;
        for (let d = 0; d < dim; d++) next[d]! += s * m[d]!;
      }
      for (const u of components) orthogonalise(next, u);
      const norm = norm2(next);
      // Fewer than three groups span no plane: the second direction is any orthogonal one.
      v = norm > 1e-12 ? next.map((x) => x / norm) : v;
      for (const u of components) orthogonalise(v, u);
    }
    const norm = norm2(v) || 1;
    components.push(v.map((x) => x / norm));
  }
  const project = (u: Float64Array) =>
    Float32Array.from(pick, (r) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += (rows[r * dim + d]! - centre[d]!) * u[d]!;
      return s;
    });
  return { x: project(components[0]!), y: project(components[1]!) };
}

/** A loop, not Math.hypot(...v): a wide backbone's rows would overflow the argument list. */
function norm2(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

function orthogonalise(v: Float64Array, u: Float64Array): void {
  let dot = 0;
  for (let d = 0; d < v.length; d++) dot += v[d]! * u[d]!;
  for (let d = 0; d < v.length; d++) v[d]! -= dot * u[d]!;
}

/**
 * At most `max` sample indices for the map, evenly spread: the pool first (what is reviewed),
 * then the training samples that fit.
 */
export function mapRows(split: readonly ('train' | 'pool')[], max: number): Int32Array {
  const pool = split.flatMap((s, i) => (s === 'pool' ? [i] : []));
  const train = split.flatMap((s, i) => (s === 'train' ? [i] : []));
  const spread = (xs: number[], k: number) =>
    k >= xs.length ? xs : Array.from({ length: Math.max(0, k) }, (_, j) => xs[Math.floor((j * xs.length) / k)]!);
  const p = spread(pool, Math.min(pool.length, Math.ceil(max * 0.4)));
  return Int32Array.from([...p, ...spread(train, max - p.length)].sort((a, b) => a - b));
}
