// Training a head (head-model.ts) on cached feature rows: seconds, not minutes, so the first
// model, every retrain after decisions, the 'other' class and the label check's out-of-fold
// models all train only this. Deterministic for a seed: weights, order and dropout masks come
// from seeded generators in JS, and every batch has one shape (the last wraps around).
import { tf } from './tf.js';
import { HeadModel, type HeadWeights } from './head-model.js';
import { makeRng, shuffleInPlace } from './rng.js';
import { balanceClass } from './class-balance.js';
import { TrainingCancelled, type TrainProgress } from './train.js';
import { expectIndices, rowCount } from '../scores/validate.js';
import { HEAD_DEFAULTS, HEAD_EMBEDDING } from './head-defaults.js';

export { HEAD_DEFAULTS, HEAD_EMBEDDING };

export interface HeadData {
  /** n x dim rows (a backbone's features), row-major. */
  features: Float32Array;
  dim: number;
  /** Which rows to train on. */
  indices: Int32Array;
  /** Class of each entry of `indices`. */
  labels: Int32Array;
  numClasses: number;
  /**
   * Other views of the same rows (the features of the mirrored images), same layout as
   * `features`: each step draws one of the views per sample, a feature-level augmentation.
   */
  views?: Float32Array[];
}

export interface HeadOptions {
  epochs: number;
  seed: number;
  hidden: number;
  dropout: number;
  batch: number;
  lr: number;
  /** Decoupled weight decay (AdamW style) per step, times the rate; 0 = off. */
  weightDecay?: number;
  labelSmoothing?: number;
  /** Class index drawn as often as an average class (class-balance.ts): the 'other' class. */
  balanceClass?: number;
  /** Heads trained side by side, each on its own loss, their logits averaged (head-model.ts); default 1. */
  members?: number;
}

/** Glorot-uniform values for `copies` kernels of fanIn x fanOut, one after another. */
function glorot(rng: () => number, fanIn: number, fanOut: number, copies = 1): Float32Array {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(fanIn * fanOut * copies);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng() - 1) * a;
  return w;
}

/** Mean and standard deviation (floored) per dimension over the training rows. */
function rowStats(x: Float32Array, dim: number, idx: Int32Array): { mean: Float32Array; std: Float32Array } {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (const r of idx) {
    const o = r * dim;
    for (let j = 0; j < dim; j++) {
      const v = x[o + j] as number;
      mean[j]! += v;
      sq[j]! += v * v;
    }
  }
  const n = Math.max(1, idx.length);
  const m = new Float32Array(dim);
  const s = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    m[j] = mean[j]! / n;
    s[j] = Math.sqrt(Math.max(sq[j]! / n - m[j]! * m[j]!, 0)) + 1e-3;
  }
  return { mean: m, std: s };
}

export async function trainHead(
  given: HeadData,
  options: HeadOptions,
  onProgress: (p: TrainProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<HeadModel> {
  const data =
    options.balanceClass === undefined
      ? given
      : { ...given, ...balanceClass(given.indices, given.labels, options.balanceClass) };
  const { dim, numClasses: C } = data;
  const n = data.indices.length;
  if (n === 0) throw new Error('nothing to train on: no labeled samples');
  if (data.labels.length !== n) throw new Error(`labels (${data.labels.length}) and indices (${n}) differ in length`);
  const rows = rowCount(data.features, dim, 'head features');
  expectIndices(data.indices, rows, 'head training indices');
  expectIndices(data.labels, C, 'head training labels');
  for (const v of data.views ?? [])
    if (v.length !== data.features.length) throw new Error('head: a feature view differs in length from the features');
  const { hidden, dropout, lr } = options;
  const wd = options.weightDecay ?? 0;
  const smoothing = options.labelSmoothing ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`head dropout ${dropout} must be in [0, 1)`);
  if (!(smoothing >= 0 && smoothing < 1)) throw new Error(`head labelSmoothing ${smoothing} must be in [0, 1)`);
  const batch = Math.max(1, Math.min(Math.floor(options.batch), n));
  const epochs = Math.max(1, Math.floor(options.epochs));
  const members = options.members ?? 1;
  if (!Number.isInteger(members) || members < 1) throw new Error(`head members ${members} must be an integer >= 1`);

  const rng = makeRng(options.seed);
  // Member m's kernel is columns m*hidden.. of w1 (each row of w1 holds every member's
  // units), drawn iid, so one draw of the whole matrix is each member's Glorot draw.
  const w: HeadWeights = {
    ...rowStats(data.features, dim, data.indices),
    w1: glorot(rng, dim, hidden, members),
    b1: new Float32Array(members * hidden),
    w2: glorot(rng, hidden, C, members),
    b2: new Float32Array(members * C),
  };
  const model = new HeadModel(dim, hidden, C, dropout, w, members);
  const allViews = [data.features, ...(data.views ?? [])];
  const xBuf = new Float32Array(batch * dim);
  const yBuf = new Int32Array(batch);
  const maskBuf = new Float32Array(batch * model.width);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const perEpoch = Math.ceil(n / batch);
  const total = perEpoch * epochs;
  const optimizer = tf.train.adam(lr);
  const vars = model.trainableVariables();
  const t0 = performance.now();
  let done = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, rng);
      let lossSum = 0;
      let hits = 0;
      const losses: tf.Scalar[] = [];
      const correct: tf.Scalar[] = [];
      for (let b = 0; b < perEpoch; b++) {
        if (signal?.aborted) throw new TrainingCancelled();
        for (let k = 0; k < batch; k++) {
          const i = order[(b * batch + k) % n] as number;
          const view = allViews.length === 1 ? data.features : allViews[Math.floor(rng() * allViews.length)]!;
          const r = data.indices[i] as number;
          xBuf.set(view.subarray(r * dim, (r + 1) * dim), k * dim);
          yBuf[k] = data.labels[i] as number;
        }
        if (dropout > 0) for (let j = 0; j < maskBuf.length; j++) maskBuf[j] = rng() >= dropout ? 1 / (1 - dropout) : 0;
        // Cosine decay to 5% of the rate over the run.
        const rate = lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * done) / total)));
        (optimizer as unknown as { learningRate: number }).learningRate = rate;
        const cost = optimizer.minimize(
          () => {
            const x = tf.tensor2d(xBuf, [batch, dim]);
            const y = tf.oneHot(tf.tensor1d(yBuf, 'int32'), C);
            const mask = dropout > 0 ? tf.tensor2d(maskBuf, [batch, model.width]) : undefined;
            const each = model.memberLogits(model.hiddenPre(x), mask);
            const logits = tf.mean(each, 0) as tf.Tensor2D;
            correct.push(tf.keep(tf.sum(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)).toInt())));
            // Every member on its own loss (the mean over members of their cross-entropies).
            const yAll = tf.tile(y, [members, 1]);
            return tf.losses.softmaxCrossEntropy(
              yAll,
              each.reshape([members * batch, C]),
              undefined,
              smoothing,
            ) as tf.Scalar;
          },
          true,
          vars,
        );
        if (cost) losses.push(cost);
        if (wd > 0) tf.tidy(() => [model.w1, model.w2].forEach((v) => v.assign(tf.mul(v, 1 - rate * wd))));
        done++;
      }
      for (const l of losses) lossSum += (await l.data())[0]!;
      for (const c of correct) hits += (await c.data())[0]!;
      tf.dispose([...losses, ...correct]);
      const loss = lossSum / perEpoch;
      if (!Number.isFinite(loss)) throw new Error(`head training diverged: loss is ${loss} at epoch ${epoch + 1}`);
      await new Promise((r) => setImmediate(r));
      const elapsed = (performance.now() - t0) / 1000;
      const sps = (done * batch) / Math.max(elapsed, 1e-6);
      onProgress({
        epoch: epoch + 1,
        epochs,
        batch: perEpoch,
        batches: perEpoch,
        loss,
        accuracy: hits / (perEpoch * batch),
        samplesPerSec: sps,
        etaSec: ((total - done) * batch) / sps,
        fraction: done / total,
      });
    }
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    optimizer.dispose();
  }
}
