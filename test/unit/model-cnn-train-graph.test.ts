// The CNN's training graph (resources/graphs/cnn-train) against the same steps as tfjs ops:
// it loads on this libtensorflow, and from the same weights and batches it reaches the same
// weights, so the graph is the maths of cnn.ts and tf.train.adam and nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tf } from '../../src/main/engine/model/tf.js';
import { Cnn, WEIGHT_NAMES } from '../../src/main/engine/model/cnn.js';
import { cnnTrainGraph, graphStepper } from '../../src/main/engine/model/cnn-train-graph.js';
import { eagerStepper, type StepChunk, type StepRunner } from '../../src/main/engine/model/train-step.js';
import { mnistArrays } from './model-fixtures.js';

const train = mnistArrays('train', 0, 3 * 64);

function chunk(first: number, rate: number): StepChunk {
  const xs = Float32Array.from(train.pixels, (v) => v / 255);
  return {
    xs,
    labels: Int32Array.from(train.labels),
    steps: 3,
    rows: 64,
    rates: Float32Array.of(rate, rate / 2, rate),
    first,
  };
}

async function weightsAfter(make: (model: Cnn) => StepRunner): Promise<Record<string, Float32Array>> {
  const runner = make(Cnn.create(10, 5));
  await runner.run(chunk(0, 0.004), false);
  const reading = await runner.run(chunk(3, 0.002), true);
  assert.ok(reading && reading.loss > 0 && reading.accuracy >= 0 && reading.accuracy <= 1);
  const cnn = runner.finish();
  try {
    return await cnn.toArrays();
  } finally {
    cnn.dispose();
  }
}

test('the training graph loads and runs on this libtensorflow', async () => {
  assert.ok(await cnnTrainGraph(), 'resources/graphs/cnn-train did not load');
});

test("the graph's steps give the weights tfjs' steps give (no dropout)", async () => {
  const graph = (await cnnTrainGraph())!;
  const settings = { dropout: 0, labelSmoothing: 0.1, seed: 3 };
  const before = tf.memory().numTensors;
  const fromGraph = await weightsAfter((m) => graphStepper(graph, m, settings));
  const fromOps = await weightsAfter((m) => eagerStepper(m, settings));
  assert.equal(tf.memory().numTensors, before, 'tensors left behind');
  const start = await Cnn.create(10, 5).toArrays();
  for (const name of WEIGHT_NAMES) {
    const a = fromGraph[name]!;
    const b = fromOps[name]!;
    let diff = 0;
    let moved = 0;
    for (let i = 0; i < a.length; i++) {
      diff += Math.abs(a[i]! - b[i]!);
      moved += Math.abs(b[i]! - start[name][i]!);
    }
    // Adam's first steps move a weight by about the rate whatever its gradient's size, so a
    // gradient near zero that rounds to the other sign moves it the other way: the two may
    // differ in a few weights, not on the whole.
    assert.ok(moved / a.length > 1e-3, `${name} did not move`);
    assert.ok(diff < 2e-3 * moved, `${name}: graph and ops differ by ${diff / moved} of the moves`);
  }
});

test('dropout in the graph depends on the seed and the step, and repeats for both', async () => {
  const graph = (await cnnTrainGraph())!;
  const run = (seed: number) => weightsAfter((m) => graphStepper(graph, m, { dropout: 0.5, labelSmoothing: 0, seed }));
  const [a, b, c] = [await run(1), await run(1), await run(2)];
  assert.deepEqual(a.fc1W, b.fc1W);
  assert.notDeepEqual(a.fc1W, c.fc1W);
});
