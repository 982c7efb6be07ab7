// Fine-tuning the backbone's top block (block_16 and Conv_1) with a head, on the cached
// block_15_add activations (extract.ts), so each epoch runs only the top of the network.
// BatchNorm stays in inference mode (its ImageNet statistics); the convolutions train at a
// tenth of the head's rate. Prints test accuracy, kNN OOD AUROC and seconds per epoch.
// node --import tsx bench/colour-dev/finetune.ts SIZE EPOCHS
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tf } from '../../src/main/engine/model/tf.js';
import { loadBackbone } from '../../src/main/engine/model/backbone.js';
import { makeRng, shuffleInPlace } from '../../src/main/engine/model/rng.js';
import { FEATURE_CACHE, KNOWN } from './split.js';
import { auroc, knnDistance } from './metrics.js';

const size = Number(process.argv[2] ?? 224);
const epochs = Number(process.argv[3] ?? 5);
const dir = path.join(FEATURE_CACHE, `s${size}`);
const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { spatialShape: number[] };
const [h, w, ch] = meta.spatialShape as [number, number, number];
const per = h * w * ch;
const f32 = (f: string): Float32Array => {
  // Without mirrored activations cached, the plain ones stand in (no flip augmentation).
  if (!existsSync(path.join(dir, f))) f = f.replace('-flip', '');
  const b = readFileSync(path.join(dir, f));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const labelsOf = (p: string) =>
  Int32Array.from(
    (JSON.parse(readFileSync(path.join(dir, `${p}-labels.json`), 'utf8')) as { labels: number[] }).labels,
  );

const bb = await loadBackbone(undefined, { inputSize: size, taps: [], graph: false, scales: [] });
const base = bb.net!;
const names = base.layers.map((l) => l.name);
const top = base.layers.slice(names.indexOf('block_15_add') + 1);
const input = tf.input({ shape: [h, w, ch] });
let t: tf.SymbolicTensor = input;
for (const l of top) t = l.apply(t) as tf.SymbolicTensor;
const topNet = tf.model({ inputs: input, outputs: t });
const convVars = topNet.trainableWeights.filter((v) => !/_BN|_bn/.test(v.name)).map((v) => v.read() as tf.Variable);
const C = KNOWN.length;
const HID = 128;
const rng = makeRng(1);
const glorot = (a: number, b: number) =>
  tf.variable(
    tf.tensor2d(
      Float32Array.from({ length: a * b }, () => (2 * rng() - 1) * Math.sqrt(6 / (a + b))),
      [a, b],
    ),
  );
const w1 = glorot(1280, HID);
const b1 = tf.variable(tf.zeros([HID]));
const w2 = glorot(HID, C);
const b2 = tf.variable(tf.zeros([C]));
const headVars = [w1, b1, w2, b2] as tf.Variable[];
const rows = (x: tf.Tensor4D): tf.Tensor2D => tf.mean(topNet.apply(x, { training: false }) as tf.Tensor4D, [1, 2]);
const hidden = (r: tf.Tensor2D) => tf.relu(tf.add(tf.matMul(r, w1), b1)) as tf.Tensor2D;

const trX = f32('train-b15.f32');
const trXf = f32('train-flip-b15.f32');
const trY = labelsOf('train');
const n = trY.length;
const BATCH = 64;
const optHead = tf.train.adam(1e-3);
const optConv = tf.train.adam(1e-4);
const order = Int32Array.from({ length: n }, (_, i) => i);
const xb = new Float32Array(BATCH * per);
const yb = new Int32Array(BATCH);
for (let e = 0; e < epochs; e++) {
  const t0 = performance.now();
  shuffleInPlace(order, rng);
  for (let b = 0; b < Math.floor(n / BATCH); b++) {
    for (let k = 0; k < BATCH; k++) {
      const i = order[b * BATCH + k]!;
      xb.set((rng() < 0.5 ? trX : trXf).subarray(i * per, (i + 1) * per), k * per);
      yb[k] = trY[i]!;
    }
    const loss = () =>
      tf.tidy(() => {
        const hid = tf.dropout(hidden(rows(tf.tensor4d(xb, [BATCH, h, w, ch]))), 0.3);
        const logits = tf.add(tf.matMul(hid, w2), b2);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(yb, 'int32'), C), logits) as tf.Scalar;
      });
    const { grads, value } = tf.variableGrads(loss, [...headVars, ...convVars]);
    optHead.applyGradients(headVars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
    optConv.applyGradients(convVars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
    tf.dispose([value, ...Object.values(grads)]);
  }
  const secs = (performance.now() - t0) / 1000;
  const predict = (p: string) => {
    const x = f32(`${p}-b15.f32`);
    const xf = f32(`${p}-flip-b15.f32`);
    const m = x.length / per;
    const probs = new Float32Array(m * C);
    const hid = new Float32Array(m * HID);
    for (let s = 0; s < m; s += 250) {
      const k = Math.min(250, m - s);
      tf.tidy(() => {
        const view = (a: Float32Array) => hidden(rows(tf.tensor4d(a.subarray(s * per, (s + k) * per), [k, h, w, ch])));
        const ha = tf.div(tf.add(view(x), view(xf)), 2) as tf.Tensor2D;
        probs.set(tf.softmax(tf.add(tf.matMul(ha, w2), b2)).dataSync(), s * C);
        hid.set(ha.dataSync(), s * HID);
      });
    }
    return { probs, hid };
  };
  const te = predict('test');
  const op = predict('open');
  const tr = predict('train');
  const teY = labelsOf('test');
  let hit = 0;
  for (let i = 0; i < teY.length; i++) {
    const row = te.probs.subarray(i * C, (i + 1) * C);
    if (row.indexOf(Math.max(...row)) === teY[i]) hit++;
  }
  const q = Float32Array.from([...te.hid, ...op.hid]);
  const pos = [...new Array(teY.length).fill(0), ...new Array(op.hid.length / HID).fill(1)];
  const auc = auroc(knnDistance(q, tr.hid, HID, 10), pos);
  console.log(
    `| fine-tune block_16 + Conv_1, epoch ${e + 1} (flip views + TTA) | ${size} | ${((100 * hit) / teY.length).toFixed(1)}% | ${auc.toFixed(3)} | ${secs.toFixed(0)} s/epoch |`,
  );
}
