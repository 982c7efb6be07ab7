// kNN search speed: ExactCosineIndex against the plain "matMul + topk per block" baseline,
// and a check that it returns the same neighbours as a brute-force JS reference.
//
//   node --import tsx bench/knn-speed.ts [--queries 10000] [--base 60000] [--dim 128] [--k 10]
//        [--reps 3] [--block N] [--group N]
//
// Random unit vectors: search cost does not depend on the data, only on the shapes.
// Each variant runs once to warm up, then `reps` times; min and median are printed because
// the machine may be shared and the minimum is the least disturbed figure. The load average
// printed first says how shared it was.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-node';
import { ExactCosineIndex } from '../src/main/engine/embeddings/knn-index.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0)
    throw new Error(`--${name}: expected a non-negative integer, got ${process.argv[i + 1]}`);
  return v;
}

const Q = arg('queries', 10_000);
const N = arg('base', 60_000);
const D = arg('dim', 128);
const K = arg('k', 10);
const REPS = Math.max(1, arg('reps', 3));
const BLOCK = arg('block', 0);
const GROUP = arg('group', -1);

/** Deterministic unit vectors (xorshift32 + Box-Muller-free uniform; direction is what matters). */
function randomUnit(n: number, d: number, seed: number): Float32Array {
  const a = new Float32Array(n * d);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < a.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    a[i] = s / 4294967296 - 0.5;
  }
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let j = 0; j < d; j++) ss += a[i * d + j]! ** 2;
    const inv = 1 / Math.sqrt(ss);
    for (let j = 0; j < d; j++) a[i * d + j]! *= inv;
  }
  return a;
}

/** The obvious implementation the index has to beat. */
function plainSearch(
  base: tf.Tensor2D,
  q: Float32Array,
  k: number,
  block: number,
): { indices: Int32Array; sims: Float32Array } {
  const nq = q.length / D;
  const indices = new Int32Array(nq * k);
  const sims = new Float32Array(nq * k);
  for (let s = 0; s < nq; s += block) {
    const b = Math.min(block, nq - s);
    tf.tidy(() => {
      const r = tf.topk(tf.matMul(tf.tensor2d(q.subarray(s * D, (s + b) * D), [b, D]), base, false, true), k);
      indices.set(r.indices.dataSync() as Int32Array, s * k);
      sims.set(r.values.dataSync() as Float32Array, s * k);
    });
  }
  return { indices, sims };
}

/** Brute force in JS with float64 accumulation: the reference for correctness. */
function bruteForce(base: Float32Array, q: Float32Array, qi: number, k: number): { idx: number[]; sim: number[] } {
  const n = base.length / D;
  const all: { i: number; s: number }[] = [];
  for (let i = 0; i < n; i++) {
    let dot = 0;
    for (let j = 0; j < D; j++) dot += q[qi * D + j]! * base[i * D + j]!;
    all.push({ i, s: dot });
  }
  all.sort((a, b) => b.s - a.s || a.i - b.i);
  return { idx: all.slice(0, k).map((x) => x.i), sim: all.slice(0, k).map((x) => x.s) };
}

/**
 * Wall time, and process CPU time (user + system, all threads): on a shared machine the wall
 * time includes waiting for the other processes, the CPU time much less so; CPU time divided
 * by the core count is what the wall time would be on an idle machine with perfect scaling.
 */
function timeIt(label: string, f: () => void): void {
  f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const fmt = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `min ${s[0]!.toFixed(0).padStart(6)}  median ${s[Math.floor(s.length / 2)]!.toFixed(0).padStart(6)}`;
  };
  console.log(`${label.padEnd(44)} wall ms: ${fmt(wall)}   cpu ms: ${fmt(cpu)}   (${REPS} runs)`);
}

const cpus = os.cpus();
console.log(
  `cpu: ${cpus[0]?.model ?? 'unknown'} x ${cpus.length} cores, load avg ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(
  `node ${process.version}, tfjs-node ${tf.version_core}, backend ${tf.getBackend()}, libtensorflow ${(tf.backend() as unknown as { binding: { TF_Version: string } }).binding.TF_Version}`,
);
console.log(`shape: ${Q} queries x ${N} base, dim ${D}, k ${K}`);

const baseData = randomUnit(N, D, 12345);
const queries = randomUnit(Q, D, 678);
const baseT = tf.tensor2d(baseData, [N, D]);
const opts = { ...(BLOCK > 0 ? { blockSize: BLOCK } : {}), ...(GROUP >= 0 ? { groupSize: GROUP } : {}) };
const index = new ExactCosineIndex(baseData, D, opts);

timeIt('plain matMul+topk (block 256, read per block)', () => plainSearch(baseT, queries, K, 256));
let result = index.search(queries, K);
timeIt(`ExactCosineIndex ${JSON.stringify(opts)}`, () => {
  result = index.search(queries, K);
});

// Correctness on a subset: same neighbour sets as the float64 brute force, up to float32
// rounding (a swap is accepted only between neighbours whose similarities tie within 1e-5).
const CHECK = Math.min(Q, 200);
let mismatches = 0;
let maxSimErr = 0;
for (let qi = 0; qi < CHECK; qi++) {
  const ref = bruteForce(baseData, queries, qi, K);
  for (let j = 0; j < K; j++) {
    const got = result.indices[qi * K + j];
    maxSimErr = Math.max(maxSimErr, Math.abs(result.sims[qi * K + j]! - ref.sim[j]!));
    if (got !== ref.idx[j] && Math.abs(ref.sim[j]! - result.sims[qi * K + j]!) > 1e-5) mismatches++;
  }
}
console.log(
  `check vs brute force on ${CHECK} queries: ${mismatches} mismatched neighbours, max |sim error| ${maxSimErr.toExponential(2)}`,
);
index.dispose();
baseT.dispose();
if (mismatches > 0) process.exitCode = 1;
