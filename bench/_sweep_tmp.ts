import * as tf from '@tensorflow/tfjs-node';
import { ExactCosineIndex } from '../src/main/engine/embeddings/knn-index.js';
const Q = 10000, N = 60000, D = 128, K = 10;
function randUnit(n: number, d: number, seed: number) { const a = new Float32Array(n * d); let s = seed >>> 0; for (let i = 0; i < a.length; i++) { s = (s * 1664525 + 1013904223) >>> 0; a[i] = s / 4294967296 - 0.5; } return a; }
const base = randUnit(N, D, 1), qs = randUnit(Q, D, 2);
const configs = (process.env.CONFIGS ?? '64:40,128:40,256:40,512:40,128:20,128:64').split(',').map((c) => c.split(':').map(Number));
const idx = configs.map(([b, g]) => new ExactCosineIndex(base, D, { blockSize: b, groupSize: g }));
const best = configs.map(() => Infinity), bestCpu = configs.map(() => Infinity);
for (let rep = 0; rep < 4; rep++) idx.forEach((ix, i) => { const c0 = process.cpuUsage(); const t = performance.now(); ix.search(qs, K); const dt = performance.now() - t; const c = process.cpuUsage(c0); if (rep > 0) { best[i] = Math.min(best[i], dt); bestCpu[i] = Math.min(bestCpu[i], (c.user + c.system) / 1000); } });
configs.forEach(([b, g], i) => console.log(`block ${b} group ${g}: wall ${best[i].toFixed(0)} ms cpu ${bestCpu[i].toFixed(0)} ms`));
