// Two ways to run the head's training steps on the chunks model/head.ts draws: the TensorFlow
// graph of resources/graphs/head-train (one call a chunk, TensorFlow's executor on both cores)
// and, where that cannot load, head-step.ts as tfjs ops.
import { tf } from './tf.js';
import { Adam } from './adam.js';
import { headStep, type HeadTrainParams } from './head-step.js';
import { runChunk, shippedGraph, type SavedModel, type Tensors } from './shipped-graph.js';

/** What training decided for a run of steps: rows, targets, dropout masks, rates. */
export interface HeadChunk {
  steps: number;
  batch: number;
  /** steps * batch indices of feature rows. */
  rows: Int32Array;
  /** steps * batch: which view each row is read from (0: the features); null for one view. */
  views: Uint8Array | null;
  /** steps * batch * out targets (each member's slice of a row sums to 1). */
  targets: Float32Array;
  /** steps * batch * W scaled keep-masks; null without dropout. */
  masks: Float32Array | null;
  rates: Float32Array;
}

export interface HeadLayout {
  dim: number;
  /** members * hidden. */
  W: number;
  /** members * classes. */
  out: number;
  members: number;
  weightDecay: number;
}

export interface HeadStart {
  w1: Float32Array;
  /** Block-diagonal, W x out. */
  w2: Float32Array;
  mean: Float32Array;
  std: Float32Array;
  /** W x out ones on the diagonal blocks; null for one member. */
  blockMask: Float32Array | null;
}

export interface HeadRunner {
  /** Runs the chunk's steps; each step's logits (before its update), steps * batch * out. */
  run(c: HeadChunk): Float32Array;
  weights(): Promise<{ w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array }>;
  dispose(): void;
}

const NAMES = ['w1', 'b1', 'w2', 'b2'] as const;

/** The chunk's rows, each from its view, one after another into `out`. */
function gatherRows(views: readonly Float32Array[], c: HeadChunk, dim: number, out: Float32Array): void {
  for (let j = 0; j < c.steps * c.batch; j++) {
    const r = c.rows[j]!;
    const view = views[c.views ? c.views[j]! : 0]!;
    out.set(view.subarray(r * dim, (r + 1) * dim), j * dim);
  }
}

function initial(l: HeadLayout, s: HeadStart): tf.Tensor[] {
  return [tf.tensor2d(s.w1, [l.dim, l.W]), tf.zeros([l.W]), tf.tensor2d(s.w2, [l.W, l.out]), tf.zeros([l.out])];
}

/** head-step.ts and adam.ts as tfjs ops, one step at a time. */
export function eagerHeadRunner(views: readonly Float32Array[], l: HeadLayout, s: HeadStart): HeadRunner {
  const [w1, b1, w2, b2] = tf.tidy(() => initial(l, s).map((t) => tf.variable(t)));
  const params = { w1, b1, w2, b2 } as HeadTrainParams;
  const vars = [params.w1, params.b1, params.w2, params.b2];
  const constants = [tf.tensor1d(s.mean), tf.tensor1d(s.std.map((v) => 1 / v))] as const;
  const blockMask = s.blockMask ? tf.tensor2d(s.blockMask, [l.W, l.out]) : null;
  const adam = new Adam(vars);
  return {
    run(c) {
      const xs = new Float32Array(c.steps * c.batch * l.dim);
      gatherRows(views, c, l.dim, xs);
      const logitsOut = new Float32Array(c.steps * c.batch * l.out);
      for (let i = 0; i < c.steps; i++) {
        const xBuf = xs.subarray(i * c.batch * l.dim, (i + 1) * c.batch * l.dim);
        const rate = c.rates[i]!;
        const logits = tf.tidy(() => {
          const z = tf.mul(tf.sub(tf.tensor2d(xBuf, [c.batch, l.dim]), constants[0]), constants[1]) as tf.Tensor2D;
          const span = c.batch * l.W;
          const mask = c.masks ? tf.tensor2d(c.masks.subarray(i * span, (i + 1) * span), [c.batch, l.W]) : null;
          const span2 = c.batch * l.out;
          const targets = tf.tensor2d(c.targets.subarray(i * span2, (i + 1) * span2), [c.batch, l.out]);
          const step = headStep(params, z, targets, mask, l.members, blockMask);
          adam.step(step.grads, rate);
          if (l.weightDecay > 0) for (const v of [params.w1, params.w2]) v.assign(tf.mul(v, 1 - rate * l.weightDecay));
          return step.logits;
        });
        logitsOut.set(logits.dataSync() as Float32Array, i * c.batch * l.out);
        logits.dispose();
      }
      return logitsOut;
    },
    async weights() {
      const [a, b, c, d] = (await Promise.all(vars.map((v) => v.data()))) as Float32Array[];
      return { w1: a!, b1: b!, w2: c!, b2: d! };
    },
    dispose() {
      adam.dispose();
      tf.dispose([...vars, ...constants, ...(blockMask ? [blockMask] : [])]);
    },
  };
}

/** The graph, loaded once per thread; null where it is missing or this libtensorflow cannot run it. */
export function headTrainGraph(): Promise<SavedModel | null> {
  return shippedGraph(
    'head-train',
    (source) => source.step === 'head-step-v2',
    async (saved) => {
      const l = { dim: 2, W: 2, out: 2, members: 1, weightDecay: 0.01 };
      const runner = graphHeadRunner(saved, [new Float32Array(4)], l, {
        w1: new Float32Array(4),
        w2: new Float32Array(4),
        mean: new Float32Array(2),
        std: Float32Array.of(1, 1),
        blockMask: null,
      });
      try {
        runner.run({
          steps: 1,
          batch: 1,
          rows: Int32Array.of(1),
          views: null,
          targets: Float32Array.of(1, 0),
          masks: Float32Array.of(2, 0),
          rates: Float32Array.of(1e-3),
        });
      } finally {
        runner.dispose();
      }
    },
  );
}

/** Steps through the graph: one call a chunk, the weights and Adam's moments in and out. */
export function graphHeadRunner(
  saved: SavedModel,
  views: readonly Float32Array[],
  l: HeadLayout,
  s: HeadStart,
): HeadRunner {
  let state: Tensors = {};
  initial(l, s).forEach((t, i) => {
    const name = NAMES[i]!;
    state[name] = t;
    state[`m_${name}`] = tf.zerosLike(t);
    state[`v_${name}`] = tf.zerosLike(t);
  });
  const fixed: Tensors = {
    mean: tf.tensor1d(s.mean),
    inv_std: tf.tensor1d(s.std.map((v) => 1 / v)),
    block_mask: s.blockMask ? tf.tensor2d(s.blockMask, [l.W, l.out]) : tf.ones([1, 1]),
    members: tf.scalar(l.members, 'int32'),
    weight_decay: tf.scalar(l.weightDecay),
  };
  let t = 0;
  let xs = new Float32Array(0);
  const free = (x: Tensors): void => Object.values(x).forEach((v) => v.dispose());
  return {
    run(c) {
      const n = c.steps * c.batch;
      if (xs.length < n * l.dim) xs = new Float32Array(n * l.dim);
      gatherRows(views, c, l.dim, xs);
      const inputs: Tensors = {
        t: tf.scalar(t),
        xs: tf.tensor3d(xs.subarray(0, n * l.dim), [c.steps, c.batch, l.dim]),
        targets: tf.tensor3d(c.targets.subarray(0, c.steps * c.batch * l.out), [c.steps, c.batch, l.out]),
        // Without dropout every unit is kept: a mask of one that broadcasts.
        masks: c.masks
          ? tf.tensor3d(c.masks.subarray(0, c.steps * c.batch * l.W), [c.steps, c.batch, l.W])
          : tf.ones([c.steps, 1, 1]),
        rates: tf.tensor1d(c.rates.subarray(0, c.steps)),
      };
      const { logits, ...next } = runChunk(saved, { ...state, ...fixed }, inputs);
      free(state);
      state = next;
      t += c.steps;
      try {
        return logits!.dataSync() as Float32Array;
      } finally {
        logits!.dispose();
      }
    },
    async weights() {
      const [a, b, c, d] = (await Promise.all(NAMES.map((n) => state[n]!.data()))) as Float32Array[];
      return { w1: a!, b1: b!, w2: c!, b2: d! };
    },
    dispose() {
      free(state);
      free(fixed);
    },
  };
}
