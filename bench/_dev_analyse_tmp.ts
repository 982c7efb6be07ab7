import fs from 'node:fs';
import { ExactCosineIndex } from '../src/main/engine/embeddings/knn-index.js';
import { auroc, fprAtTpr, fitTemperature, softmax, confidenceScores, energyScore, knnDistance, fitOodScorer } from '../src/main/engine/scores/index.js';
const meta = JSON.parse(fs.readFileSync('/tmp/knnx/dev-meta.json', 'utf8'));
const rd = (f: string) => { const b = fs.readFileSync(f); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
const logits = rd('/tmp/knnx/dev-logits.bin'), emb = rd('/tmp/knnx/dev-emb.bin');
const { origin, dim, C } = meta; const n = origin.length;
const trainIdx: number[] = meta.trainIndices, held: number[] = meta.heldOutIndices;
const base = new Float32Array(trainIdx.length * dim); trainIdx.forEach((r, j) => base.set(emb.subarray(r * dim, (r + 1) * dim), j * dim));
const index = new ExactCosineIndex(base, dim);
const queryRows = Array.from({ length: n }, (_, i) => i).filter((i) => origin[i] !== 'train' || held.includes(i));
const heldSet = new Set(held);
const q = new Float32Array(queryRows.length * dim); queryRows.forEach((r, j) => q.set(emb.subarray(r * dim, (r + 1) * dim), j * dim));
const K = 50; const t0 = Date.now(); const res = index.search(q, K); console.log('knn', Date.now() - t0, 'ms');
const kinds = ['missegmented', 'scribble', 'noise', 'fashion'];
const rowsOf = (o: string) => queryRows.map((r, j) => [r, j]).filter(([r]) => origin[r] === o).map(([, j]) => j);
const idRows = rowsOf('test'); const heldRows = queryRows.map((r, j) => [r, j]).filter(([r]) => heldSet.has(r)).map(([, j]) => j);
function report(name: string, score: ArrayLike<number>) {
  const id = idRows.map((j) => score[j]); const parts: string[] = []; let sa = 0, sf = 0;
  for (const k of kinds) { const od = rowsOf(k).map((j) => score[j]); const a = auroc(od, id), f = fprAtTpr(id, od); sa += a; sf += f; parts.push(`${k.slice(0, 6)} ${(a * 100).toFixed(1)}/${(f * 100).toFixed(1)}`); }
  console.log(name.padEnd(34), `mean AUROC ${(sa / kinds.length * 100).toFixed(2)} FPR95 ${(sf / kinds.length * 100).toFixed(1)} | `, parts.join('  '));
}
for (const k of [1, 5, 10, 20, 50]) {
  const sims = new Float32Array(queryRows.length * k); for (let j = 0; j < queryRows.length; j++) sims.set(res.sims.subarray(j * K, j * K + k), j * k);
  report(`knn kth k=${k}`, knnDistance(sims, k, 'kth')); report(`knn mean k=${k}`, knnDistance(sims, k, 'mean'));
}
// softmax-space scores
const ql = new Float32Array(queryRows.length * C); queryRows.forEach((r, j) => ql.set(logits.subarray(r * C, (r + 1) * C), j * C));
const heldLabels = Int32Array.from(queryRows, (r) => (heldSet.has(r) ? Number(meta.labels[r]) : -1));
const fit = fitTemperature(ql, C, heldLabels); console.log('temperature', fit.temperature.toFixed(3), 'nll', fit.nllBefore.toFixed(4), '->', fit.nllAfter.toFixed(4));
const probs = softmax(ql, C, fit.temperature); const cs = confidenceScores(probs, C);
report('msp', cs.msp); report('margin', cs.margin); report('entropy', cs.entropy);
const energy = energyScore(ql, C); report('energy', energy);
const k10 = new Float32Array(queryRows.length * 10); for (let j = 0; j < queryRows.length; j++) k10.set(res.sims.subarray(j * K, j * K + 10), j * 10);
const kd = knnDistance(k10, 10, (process.env.MODE as 'kth') ?? 'mean');
const pick = (a: Float32Array) => Float32Array.from(heldRows, (j) => a[j]);
for (const w of [{ knnDistance: 1, energy: 0, msp: 0 }, { knnDistance: 1, energy: 0.25, msp: 0 }, { knnDistance: 1, energy: 0.5, msp: 0 }, { knnDistance: 1, energy: 0.75, msp: 0 }, { knnDistance: 1, energy: 0.5, msp: 0.1 }]) {
  const s = fitOodScorer({ knnDistance: pick(kd), energy: pick(energy), msp: pick(cs.msp) }, { weights: w });
  const sc = s.score({ knnDistance: kd, energy, msp: cs.msp });
  report(`ood ${w.knnDistance}/${w.energy}/${w.msp}`, sc);
  const idFlag = idRows.filter((j) => sc[j] > s.threshold).length / idRows.length;
  console.log('    test-digit flag rate', (idFlag * 100).toFixed(1) + '%');
}
index.dispose();
