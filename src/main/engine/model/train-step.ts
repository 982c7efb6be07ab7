// What a training loop hands a step runner: a chunk of batches already cut and scaled in JS
// (model/train.ts), and the rate of each step. Two runners train the CNN: the TensorFlow graph
// (cnn-train-graph.ts) and, where that cannot load, the same maths as tfjs ops (below).
import { tf } from './tf.js';
import type { Cnn } from './cnn.js';
import { IMAGE_SIZE } from '../types.js';

export interface StepChunk {
  /** `steps` batches of `rows` images each, [steps * rows, 28, 28, 1] floats 0..1 in order. */
  xs: Float32Array;
  /** The class of each image of xs. */
  labels: Int32Array;
  steps: number;
  rows: number;
  /** The learning rate of each step. */
  rates: Float32Array;
  /** Steps taken before this chunk (Adam's count; each step's dropout seed). */
  first: number;
}

export interface StepReading {
  /** Mean cross-entropy of the chunk's steps (or of its last step). */
  loss: number;
  /** Training accuracy of the same steps. */
  accuracy: number;
}

export interface StepRunner {
  /** Batches per chunk it runs best with. */
  readonly chunk: number;
  /** Runs the chunk's steps; the loss and accuracy are read back only when `read`. */
  run(chunk: StepChunk, read: boolean): Promise<StepReading | null>;
  /** The trained CNN; the runner is done. */
  finish(): Cnn;
  /** Frees everything, the CNN included (cancellation, failure). */
  dispose(): void;
}

export interface StepSettings {
  dropout: number;
  labelSmoothing: number;
  seed: number;
}

/** Steps as tfjs ops, one at a time from JS, with tf.train.adam. */
export function eagerStepper(model: Cnn, s: StepSettings): StepRunner {
  const optimizer = tf.train.adam(1);
  const vars = model.trainableVariables();
  const size = IMAGE_SIZE * IMAGE_SIZE;
  return {
    chunk: 1,
    async run(c, read) {
      let reading: StepReading | null = null;
      for (let i = 0; i < c.steps; i++) {
        const last = read && i === c.steps - 1;
        (optimizer as unknown as { learningRate: number }).learningRate = c.rates[i]!;
        let accT: tf.Scalar | null = null;
        const cost = optimizer.minimize(
          () => {
            // The native backend copies xs when the first conv runs, inside this call.
            const xb = tf.tensor4d(c.xs.subarray(i * c.rows * size, (i + 1) * c.rows * size), [
              c.rows,
              IMAGE_SIZE,
              IMAGE_SIZE,
              1,
            ]);
            const classes = model.numClasses;
            const yb = tf.oneHot(tf.tensor1d(c.labels.subarray(i * c.rows, (i + 1) * c.rows), 'int32'), classes);
            const logits = model.forwardTrain(xb, s.dropout, s.seed * 100003 + c.first + i);
            if (last) accT = tf.keep(tf.mean(tf.equal(tf.argMax(logits, 1), tf.argMax(yb, 1)).toFloat()) as tf.Scalar);
            return tf.losses.softmaxCrossEntropy(yb.toFloat(), logits, undefined, s.labelSmoothing) as tf.Scalar;
          },
          last,
          vars,
        );
        if (last && cost) {
          const acc = accT as tf.Scalar | null;
          const [lossV, accV] = await Promise.all([cost.data(), acc?.data()]);
          cost.dispose();
          acc?.dispose();
          reading = { loss: lossV[0]!, accuracy: accV ? accV[0]! : 0 };
        }
      }
      return reading;
    },
    finish() {
      optimizer.dispose();
      return model;
    },
    dispose() {
      optimizer.dispose();
      model.dispose();
    },
  };
}
