// TEMPORARY development experiment (not part of the repo): embeddings of MNIST + demo distractors.
import fs from 'node:fs';
import { generateDistractors, loadFashionMnist, readMnistRaw, DEMO_DISTRACTOR_KINDS } from '../src/main/engine/datasets/index.js';
import { trainModel } from '../src/main/engine/pipeline/train-model.js';
import { embedImages } from '../src/main/engine/embeddings/embed.js';
import { PIXELS_PER_IMAGE } from '../src/main/engine/types.js';
const train = readMnistRaw('train'), test = readMnistRaw('test');
const nTrain = 20000, nTest = 3000, per = 500;
const kinds = [...DEMO_DISTRACTOR_KINDS, 'fashion'];
const parts: Uint8Array[] = [train.pixels.subarray(0, nTrain * 784), test.pixels.subarray(0, nTest * 784)];
const origin: string[] = [...Array(nTrain).fill('train'), ...Array(nTest).fill('test')];
for (const k of kinds) { parts.push(k === 'fashion' ? loadFashionMnist(per, 7) : generateDistractors(k as never, per, 7)); origin.push(...Array(per).fill(k)); }
const total = origin.length; const pixels = new Uint8Array(total * 784); let off = 0; for (const p of parts) { pixels.set(p, off); off += p.length; }
const labels: (string | null)[] = origin.map((o, i) => (o === 'train' ? String(train.labels[i]) : null));
const testLabels = Array.from(test.labels.subarray(0, nTest));
const ids = origin.map((_, i) => `d${i}`);
const t0 = Date.now();
const m = await trainModel({ ids, pixels, labels, knownClasses: '0123456789'.split(''), epochs: 3, seed: 42, projectDir: null }, () => {});
console.log('trained in', (Date.now() - t0) / 1000, 's held-out acc', m.heldOutAccuracy);
const e = await embedImages(m.classifier, pixels);
fs.writeFileSync('/tmp/knnx/dev-logits.bin', Buffer.from(e.logits.buffer));
fs.writeFileSync('/tmp/knnx/dev-emb.bin', Buffer.from(e.embeddings!.buffer));
fs.writeFileSync('/tmp/knnx/dev-meta.json', JSON.stringify({ origin, labels, testLabels, nTrain, nTest, dim: e.dim, C: e.numClasses, trainIndices: Array.from(m.trainIndices), heldOutIndices: Array.from(m.heldOutIndices), heldOutAccuracy: m.heldOutAccuracy }));
console.log('done', total, e.dim);
