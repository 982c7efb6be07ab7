// The training regularisers of train.ts on real MNIST: random shifts make the model robust
// to digits that sit off-centre, label smoothing makes it less sure of itself, and bad
// values are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainCnn, type TrainOptions } from '../../src/main/engine/model/train.js';
import { CnnClassifier } from '../../src/main/engine/model/cnn.js';
import { embedImages } from '../../src/main/engine/embeddings/embed.js';
import { IMAGE_SIZE, PIXELS_PER_IMAGE } from '../../src/main/engine/types.js';
import { DIGITS, mnistArrays, range } from './model-fixtures.js';

const N_TRAIN = 3000;
const train = mnistArrays('train', 0, N_TRAIN);
const testSet = mnistArrays('test', 0, 1000);
const data = { pixels: train.pixels, indices: range(N_TRAIN), labels: train.labels, numClasses: 10 };

/** Every image moved by (dy, dx) pixels, the uncovered border left black. */
function shiftImages(pixels: Uint8Array, dy: number, dx: number): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let base = 0; base < pixels.length; base += PIXELS_PER_IMAGE) {
    for (let r = 0; r < IMAGE_SIZE; r++) {
      const sr = r - dy;
      if (sr < 0 || sr >= IMAGE_SIZE) continue;
      for (let c = 0; c < IMAGE_SIZE; c++) {
        const sc = c - dx;
        if (sc >= 0 && sc < IMAGE_SIZE) out[base + r * IMAGE_SIZE + c] = pixels[base + sr * IMAGE_SIZE + sc]!;
      }
    }
  }
  return out;
}

/** Test accuracy and mean top softmax probability of a model trained with `options`. */
async function trainAndMeasure(
  options: Omit<TrainOptions, 'epochs' | 'seed'>,
  pixels: Uint8Array,
): Promise<{ accuracy: number; meanTopProb: number }> {
  const cnn = await trainCnn(data, { epochs: 2, seed: 5, ...options });
  try {
    const e = await embedImages(new CnnClassifier(cnn, DIGITS), pixels);
    let correct = 0;
    let topProb = 0;
    for (let i = 0; i < e.n; i++) {
      const row = Array.from(e.logits.subarray(i * 10, i * 10 + 10));
      const max = Math.max(...row);
      if (row.indexOf(max) === testSet.labels[i]) correct++;
      topProb += 1 / row.reduce((s, v) => s + Math.exp(v - max), 0);
    }
    return { accuracy: correct / e.n, meanTopProb: topProb / e.n };
  } finally {
    cnn.dispose();
  }
}

test('training with random shifts classifies digits moved by 3 px far better than training without', async () => {
  const moved = shiftImages(testSet.pixels, 3, -3);
  const plain = await trainAndMeasure({ shift: 0 }, moved);
  const shifted = await trainAndMeasure({ shift: 2 }, moved);
  assert.ok(
    shifted.accuracy > plain.accuracy + 0.05,
    `accuracy on moved digits: ${plain.accuracy} without shifts, ${shifted.accuracy} with`,
  );
});

test('label smoothing lowers the confidence of the trained model', async () => {
  const sharp = await trainAndMeasure({ shift: 0, labelSmoothing: 0 }, testSet.pixels);
  const smooth = await trainAndMeasure({ shift: 0, labelSmoothing: 0.3 }, testSet.pixels);
  assert.ok(
    smooth.meanTopProb < sharp.meanTopProb - 0.05,
    `mean top probability ${sharp.meanTopProb} without smoothing, ${smooth.meanTopProb} with 0.3`,
  );
  // Both still learn the digits.
  assert.ok(smooth.accuracy > 0.85 && sharp.accuracy > 0.85, `accuracy ${sharp.accuracy} / ${smooth.accuracy}`);
});

test('a shift as large as the image or a smoothing outside [0, 1) is refused', async () => {
  await assert.rejects(trainCnn(data, { epochs: 1, seed: 1, shift: IMAGE_SIZE }), /shift 28 must be less than/);
  await assert.rejects(trainCnn(data, { epochs: 1, seed: 1, labelSmoothing: 1 }), /labelSmoothing 1 must be in/);
  await assert.rejects(trainCnn(data, { epochs: 1, seed: 1, labelSmoothing: -0.1 }), /labelSmoothing -0.1/);
});
