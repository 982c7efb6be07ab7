import { readMnistRaw } from '../src/main/engine/datasets/index.js';
import { outOfFoldProbs } from '../src/main/engine/pipeline/label-check.js';
import { auroc, precisionAtK, labelIssueScores } from '../src/main/engine/scores/index.js';
const train = readMnistRaw('train'); const n = 20000;
const pixels = train.pixels.subarray(0, n * 784);
let s = 99; const r = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
const flipped = new Uint8Array(n);
const labels = Array.from({ length: n }, (_, i) => { let y = train.labels[i]; if (r() < 0.05) { flipped[i] = 1; y = (y + 1 + Math.floor(r() * 9)) % 10; } return String(y); });
const t0 = Date.now();
const { probs, classes } = await outOfFoldProbs({ ids: labels.map((_, i) => `x${i}`), pixels, labels, knownClasses: '0123456789'.split('') }, () => {});
console.log('oof in', (Date.now() - t0) / 1000, 's');
const given = Int32Array.from(labels, (l) => classes.indexOf(l));
const li = labelIssueScores(probs, 10, given);
const pos = [], neg = []; for (let i = 0; i < n; i++) (flipped[i] ? pos : neg).push(li[i]);
const nf = pos.length;
console.log('flipped', nf, 'AUROC', auroc(pos, neg).toFixed(4), 'P@k', precisionAtK(li, flipped, nf).toFixed(3));
for (const t of [0.3, 0.5, 0.7, 0.9]) { let tp = 0, fp = 0; for (let i = 0; i < n; i++) if (li[i] > t) (flipped[i] ? tp++ : fp++); console.log(`threshold ${t}: flagged ${tp + fp}, precision ${(tp / (tp + fp)).toFixed(3)}, recall ${(tp / nf).toFixed(3)}`); }
