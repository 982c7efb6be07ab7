// Training a head (head-model.ts) on cached feature rows: seconds, not minutes, so the first
// model, every retrain after decisions, the 'other' class and the label check's out-of-fold
// models all train only this. Deterministic for a seed: weights, order and dropout masks come
// from seeded generators in JS, and every batch has one shape (the last wraps around).
import { HeadModel } from './head-model.js';
import { blockDiagonal, diagonalBlocks } from './head-step.js';
import {
  eagerHeadRunner,
  graphHeadRunner,
  headTrainGraph,
  type HeadLayout,
  type HeadRunner,
  type HeadStart,
} from './head-runner.js';
import { makeRng, shuffleInPlace } from './rng.js';
import { balanceClass } from './class-balance.js';
import { cosineRate, TrainingCancelled, type TrainProgress } from './train.js';
import { expectIndices, rowCount } from '../scores/validate.js';
import { HEAD_DEFAULTS, HEAD_EMBEDDING } from './head-defaults.js';

export { HEAD_DEFAULTS, HEAD_EMBEDDING };

/** Values of rows one call of a runner takes at most (32 MB). */
const CHUNK_VALUES = 8 * 1024 * 1024;

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
  /** The largest batch; a smaller set gets a smaller one (batchFor). */
  batch: number;
  lr: number;
  /** Decoupled weight decay (AdamW style) per step, times the rate; 0 = off. */
  weightDecay?: number;
  labelSmoothing?: number;
  /** Class index drawn as often as an average class (class-balance.ts): the 'other' class. */
  balanceClass?: number;
  /** At least this many steps however few the rows: a small set gets more epochs, not a weaker head. */
  minSteps?: number;
  /** Heads trained side by side, each on its own loss, their logits averaged (head-model.ts); default 1. */
  members?: number;
  /** Values of rows one call of the runner takes at most (default CHUNK_VALUES); changes no result. */
  chunkValues?: number;
  /** 'graph' (head-runner.ts' TensorFlow graph) or 'eager' (tfjs ops); by default the graph where it can. */
  runner?: 'graph' | 'eager';
}

/**
 * About 16 steps an epoch: a power of two near n / 16, at least 128 (or n, or `max`, if smaller)
 * and at most `max`. Each step costs about as much at 512 rows as at 128 (docs/colour-model.md),
 * so big sets take bigger steps, and small ones keep enough of them.
 */
export function batchFor(n: number, max: number): number {
  const top = Math.max(1, Math.min(Math.floor(max), n));
  const near = 2 ** Math.round(Math.log2(Math.max(1, n / 16)));
  return Math.min(top, Math.max(near, Math.min(128, top)));
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
  const batch = batchFor(n, options.batch);
  const perEpoch = Math.ceil(n / batch);
  const epochs = Math.max(1, Math.floor(options.epochs), Math.ceil((options.minSteps ?? 0) / perEpoch));
  const members = options.members ?? 1;
  if (!Number.isInteger(members) || members < 1) throw new Error(`head members ${members} must be an integer >= 1`);

  const rng = makeRng(options.seed);
  const W = members * hidden;
  const out = members * C;
  const stats = rowStats(data.features, dim, data.indices);
  // Member m's kernel is columns m*hidden.. of w1 (each row of w1 holds every member's
  // units), drawn iid, so one draw of the whole matrix is each member's Glorot draw.
  const w1 = glorot(rng, dim, hidden, members);
  const w2 = blockDiagonal(glorot(rng, hidden, C, members), members, hidden, C);
  const blockMask = members === 1 ? null : blockDiagonal(new Float32Array(W * C).fill(1), members, hidden, C);
  const allViews = [data.features, ...(data.views ?? [])];
  const layout = { dim, W, out, members, weightDecay: wd };
  const start = { w1, w2, ...stats, blockMask };
  const runner = await headRunner(options.runner, allViews, layout, start);
  // The steps go to the runner a chunk at a time, their rows, targets and dropout masks drawn
  // here in the order of the step-by-step loop this replaced, so a seed trains the same head
  // by either runner. A chunk holds at most CHUNK_VALUES of rows: an epoch of 100,000 rows
  // would be 680 MB.
  const span = Math.max(
    1,
    Math.min(perEpoch, Math.floor((options.chunkValues ?? CHUNK_VALUES) / (batch * Math.max(dim, W)))),
  );
  const chunk = {
    steps: span,
    batch,
    rows: new Int32Array(span * batch),
    views: allViews.length > 1 ? new Uint8Array(span * batch) : null,
    targets: new Float32Array(span * batch * out),
    masks: dropout > 0 ? new Float32Array(span * batch * W) : null,
    rates: new Float32Array(span),
  };
  const ys = new Int32Array(span * batch);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const total = perEpoch * epochs;
  const t0 = performance.now();
  let done = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, rng);
      let lossSum = 0;
      let hits = 0;
      for (let first = 0; first < perEpoch; first += span) {
        if (signal?.aborted) throw new TrainingCancelled();
        chunk.steps = Math.min(span, perEpoch - first);
        chunk.targets.fill(smoothing / C);
        for (let b = 0; b < chunk.steps; b++) {
          for (let k = 0; k < batch; k++) {
            const j = b * batch + k;
            const i = order[((first + b) * batch + k) % n] as number;
            if (chunk.views) chunk.views[j] = Math.floor(rng() * allViews.length);
            chunk.rows[j] = data.indices[i] as number;
            const y = (ys[j] = data.labels[i] as number);
            for (let m = 0; m < members; m++) chunk.targets[j * out + m * C + y] = 1 - smoothing + smoothing / C;
          }
          const masks = chunk.masks;
          if (masks)
            for (let j = b * batch * W; j < (b + 1) * batch * W; j++)
              masks[j] = rng() >= dropout ? 1 / (1 - dropout) : 0;
          chunk.rates[b] = cosineRate(lr, done + b, total);
        }
        const logits = runner.run(chunk);
        for (let b = 0; b < chunk.steps; b++) {
          const fit = batchFit(
            logits.subarray(b * batch * out, (b + 1) * batch * out),
            ys.subarray(b * batch, (b + 1) * batch),
            chunk.targets.subarray(b * batch * out, (b + 1) * batch * out),
            members,
            C,
          );
          lossSum += fit.loss;
          hits += fit.hits;
        }
        done += chunk.steps;
      }
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
    const trained = await runner.weights();
    return new HeadModel(
      dim,
      hidden,
      C,
      dropout,
      { ...stats, w1: trained.w1, b1: trained.b1, w2: diagonalBlocks(trained.w2, members, hidden, C), b2: trained.b2 },
      members,
    );
  } finally {
    runner.dispose();
  }
}

/** The graph where it loads (or is asked for), else tfjs ops. */
async function headRunner(
  want: HeadOptions['runner'],
  views: Float32Array[],
  layout: HeadLayout,
  start: HeadStart,
): Promise<HeadRunner> {
  const graph = want === 'eager' ? null : await headTrainGraph();
  if (graph) return graphHeadRunner(graph, views, layout, start);
  if (want === 'graph')
    throw new Error(
      'the head training graph (resources/graphs/head-train) is missing or does not run on this libtensorflow',
    );
  return eagerHeadRunner(views, layout, start);
}

/**
 * One batch's mean loss (the members' mean cross-entropy against `targets`) and how many rows
 * the head (the members' mean logits) got right, from each member's logits [B, members * C].
 */
function batchFit(
  logits: Float32Array,
  labels: Int32Array,
  targets: Float32Array,
  members: number,
  C: number,
): { loss: number; hits: number } {
  const rows = labels.length;
  const out = members * C;
  const mean = new Float64Array(C);
  let loss = 0;
  let hits = 0;
  for (let k = 0; k < rows; k++) {
    mean.fill(0);
    for (let m = 0; m < members; m++) {
      const o = k * out + m * C;
      let max = -Infinity;
      for (let c = 0; c < C; c++) max = Math.max(max, logits[o + c]!);
      let sum = 0;
      for (let c = 0; c < C; c++) sum += Math.exp(logits[o + c]! - max);
      const lse = max + Math.log(sum);
      for (let c = 0; c < C; c++) {
        loss -= targets[o + c]! * (logits[o + c]! - lse);
        mean[c]! += logits[o + c]!;
      }
    }
    let best = 0;
    for (let c = 1; c < C; c++) if (mean[c]! > mean[best]!) best = c;
    if (best === labels[k]) hits++;
  }
  return { loss: loss / (rows * members), hits };
}
