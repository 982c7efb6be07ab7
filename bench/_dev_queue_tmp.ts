import fs from 'node:fs';
import { ExactCosineIndex } from '../src/main/engine/embeddings/knn-index.js';
import { computeScores } from '../src/main/engine/scores/index.js';
const meta = JSON.parse(fs.readFileSync('/tmp/knnx/dev-meta.json', 'utf8'));
const rd = (f: string) => { const b = fs.readFileSync(f); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
const logits = rd('/tmp/knnx/dev-logits.bin'), emb = rd('/tmp/knnx/dev-emb.bin');
const { origin, dim, C } = meta; const n = origin.length;
const trainIdx: number[] = meta.trainIndices;
const base = new Float32Array(trainIdx.length * dim); trainIdx.forEach((r, j) => base.set(emb.subarray(r * dim, (r + 1) * dim), j * dim));
const pos = new Int32Array(n).fill(-1); trainIdx.forEach((r, j) => (pos[r] = j));
const index = new ExactCosineIndex(base, dim); const k = 10;
const t0 = Date.now(); const res = index.search(emb, k, { excludeSelf: pos }); console.log('knn', n, 'queries', Date.now() - t0, 'ms'); index.dispose();
const labels = Int32Array.from(meta.labels as (string | null)[], (l) => (l === null ? -1 : Number(l)));
const t1 = Date.now();
const s = computeScores({ logits, numClasses: C, otherClass: -1, knnSims: res.sims, k, heldOutIndices: Int32Array.from(meta.heldOutIndices), labels });
console.log('computeScores', Date.now() - t1, 'ms; T', s.temperature.toFixed(3), 'thresholds', s.thresholds, 'oodTail', s.oodTail.toFixed(3));
const held = new Set<number>(meta.heldOutIndices);
const group = (i: number) => (origin[i] === 'train' ? (held.has(i) ? 'heldout' : 'train') : origin[i]);
const groups = ['train', 'heldout', 'test', 'missegmented', 'scribble', 'noise', 'fashion'];
for (const g of groups) {
  const rows = Array.from({ length: n }, (_, i) => i).filter((i) => group(i) === g);
  const f = (bit: number) => ((rows.filter((i) => s.flags[i] & bit).length / rows.length) * 100).toFixed(1).padStart(5);
  console.log(g.padEnd(13), String(rows.length).padStart(6), 'lowConf%', f(1), 'ood%', f(2), 'any%', ((rows.filter((i) => s.flags[i]).length / rows.length) * 100).toFixed(1).padStart(5));
}
const order = Array.from(s.reviewPriority.keys()).sort((a, b) => s.reviewPriority[b] - s.reviewPriority[a]);
for (const top of [50, 200, 1000, 2000]) {
  const cnt: Record<string, number> = {}; for (const i of order.slice(0, top)) cnt[group(i)] = (cnt[group(i)] ?? 0) + 1;
  console.log(`top ${top}:`, JSON.stringify(cnt));
}
const flaggedTest = order.filter((i) => group(i) === 'test' && s.flags[i]).slice(0, 5).map((i) => [i, s.predicted[i], meta.testLabels[i - meta.nTrain], s.msp[i].toFixed(2), s.oodScore[i].toFixed(2), s.reviewPriority[i].toFixed(2)]);
console.log('first flagged test digits [row, pred, true, msp, ood, prio]', JSON.stringify(flaggedTest));
