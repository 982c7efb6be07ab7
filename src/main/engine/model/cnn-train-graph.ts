// The small CNN's training steps as one TensorFlow graph (resources/graphs/cnn-train, made by
// scripts/make-cnn-train-graph.py: cnn.ts' forwardTrain, softmax cross-entropy with label
// smoothing and tf.train.adam's update). tfjs runs a step as about 200 ops sent one at a time
// from JavaScript, which kept one core busy; the graph runs a chunk of steps in TensorFlow's
// own executor, on both cores, at about twice the speed (docs/cnn-training.md).
import { tf } from './tf.js';
import { Cnn, CNN_ARCH, WEIGHT_NAMES, type WeightName } from './cnn.js';
import { IMAGE_SIZE } from '../types.js';
import { runChunk, shippedGraph, type SavedModel, type Tensors } from './shipped-graph.js';
import type { StepRunner, StepSettings } from './train-step.js';

/** The graph, loaded once per thread; null where it is missing or this libtensorflow cannot run it. */
export function cnnTrainGraph(): Promise<SavedModel | null> {
  return shippedGraph(
    'cnn-train',
    (source) => source.arch === CNN_ARCH,
    async (saved) => {
      // One step on one blank image: an op this libtensorflow lacks fails here, not mid-training.
      const runner = graphStepper(saved, Cnn.create(2, 1), { dropout: 0.5, labelSmoothing: 0.1, seed: 1 });
      try {
        const xs = new Float32Array(IMAGE_SIZE * IMAGE_SIZE);
        await runner.run(
          { xs, labels: new Int32Array(1), steps: 1, rows: 1, rates: Float32Array.of(1e-3), first: 0 },
          true,
        );
      } finally {
        runner.dispose();
      }
    },
  );
}

function stateOf(model: Cnn): Tensors {
  const state: Tensors = {};
  tf.tidy(() => {
    for (const k of WEIGHT_NAMES) {
      state[k] = tf.keep(tf.clone(model.weights[k]));
      state[`m_${k}`] = tf.keep(tf.zerosLike(model.weights[k]));
      state[`v_${k}`] = tf.keep(tf.zerosLike(model.weights[k]));
    }
  });
  model.dispose();
  return state;
}

function sum(a: Float32Array): number {
  let t = 0;
  for (const v of a) t += v;
  return t;
}

/** Steps through the graph: the weights and Adam's moments go in and come out of every call. */
export function graphStepper(saved: SavedModel, model: Cnn, s: StepSettings): StepRunner {
  let state = stateOf(model);
  const size = IMAGE_SIZE * IMAGE_SIZE;
  const free = (): void => Object.values(state).forEach((t) => t.dispose());
  return {
    chunk: 20,
    async run(c, read) {
      const inputs = tf.tidy(() => ({
        t: tf.scalar(c.first),
        xs: tf.tensor5d(c.xs.subarray(0, c.steps * c.rows * size), [c.steps, c.rows, IMAGE_SIZE, IMAGE_SIZE, 1]),
        labels: tf.tensor2d(c.labels.subarray(0, c.steps * c.rows), [c.steps, c.rows], 'int32'),
        rates: tf.tensor1d(c.rates.subarray(0, c.steps)),
        seeds: tf.tensor2d(
          Int32Array.from({ length: 2 * c.steps }, (_, i) => (i % 2 === 0 ? s.seed | 0 : c.first + (i >> 1))),
          [c.steps, 2],
          'int32',
        ),
        dropout: tf.scalar(s.dropout),
        smoothing: tf.scalar(s.labelSmoothing),
      }));
      const { losses, correct, ...next } = runChunk(saved, state, inputs);
      free();
      state = next;
      try {
        if (!read) return null;
        const [l, k] = (await Promise.all([losses!.data(), correct!.data()])) as Float32Array[];
        return { loss: sum(l!) / c.steps, accuracy: sum(k!) / (c.steps * c.rows) };
      } finally {
        losses!.dispose();
        correct!.dispose();
      }
    },
    finish() {
      const weights = {} as Record<WeightName, tf.Variable>;
      for (const k of WEIGHT_NAMES) weights[k] = tf.variable(state[k]!);
      free();
      return new Cnn(weights);
    },
    dispose: free,
  };
}
