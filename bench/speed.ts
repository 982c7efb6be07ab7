// Speed benchmark: one training epoch on the 60,000 MNIST training images, predict+embed
// throughput, the MC-dropout passes on top of it, the 10k x 60k exact kNN, and peak memory. Always cold: no cached model.
import { readMnistRaw } from '../src/main/engine/datasets/index.js';
import { trainCnn } from '../src/main/engine/model/train.js';
import { Cnn, CnnClassifier } from '../src/main/engine/model/cnn.js';
import { embedImages } from '../src/main/engine/embeddings/embed.js';
import { mcColumnOf } from '../src/main/engine/embeddings/mc-column.js';
import { ExactCosineIndex } from '../src/main/engine/embeddings/knn-index.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/engine/model/train.js';
import { formatTable, median, peakMemory } from './machine.js';
import { kerasCnnEpoch, peerMissing } from './peer.js';

export interface SpeedResult {
  /** Median of two epochs through the training graph, each a fresh model. */
  epochSec: number;
  /** The same epoch as tfjs ops (the runner used where the graph cannot load). */
  eagerEpochSec: number;
  /** Median of two Keras epochs of the same CNN, alternating with Unsure's; NaN without the peer. */
  kerasEpochSec: number;
  trainImagesPerSec: number;
  embedImagesPerSec: number;
  /** MC-dropout disagreement (embeddings/mc-column.ts) of already embedded images. */
  mcImagesPerSec: number;
  knnSec: number;
  knnQueriesPerSec: number;
}

export async function runSpeed(out: (s: string) => void, opts: { trainSize?: number } = {}): Promise<SpeedResult> {
  const train = readMnistRaw('train');
  const test = readMnistRaw('test');
  const n = Math.min(opts.trainSize ?? train.count, train.count);
  const indices = Int32Array.from({ length: n }, (_, i) => i);
  const labels = Int32Array.from(train.labels.subarray(0, n));
  const data = { pixels: train.pixels, indices, labels, numClasses: 10 };
  const epoch = async (runner: 'graph' | 'eager'): Promise<{ sec: number; cnn: Cnn }> => {
    const t0 = performance.now();
    const cnn = await trainCnn(data, { epochs: 1, seed: 1, runner });
    return { sec: (performance.now() - t0) / 1000, cnn };
  };
  const missing = peerMissing();
  if (missing) out(`Keras epoch skipped: ${missing}\n`);
  // Alternating pairs, as the machine's load moves: Unsure's epoch, then Keras' of the same CNN.
  const ours: number[] = [];
  const keras: number[] = [];
  let cnn: Cnn | null = null;
  for (let pair = 0; pair < 2; pair++) {
    out(
      `Training one epoch on ${n} MNIST images (batch ${DEFAULT_TRAIN_OPTIONS.batchSize}), pair ${pair + 1} of 2...\n`,
    );
    const e = await epoch('graph');
    ours.push(e.sec);
    cnn?.dispose();
    cnn = e.cnn;
    if (!missing) keras.push(await kerasCnnEpoch(n));
  }
  out('The same epoch as tfjs ops, one at a time...\n');
  const eager = await epoch('eager');
  eager.cnn.dispose();
  const epochSec = median(ours);
  const kerasEpochSec = missing ? Number.NaN : median(keras);
  const model = new CnnClassifier(cnn!, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

  // Warm-up builds oneDNN's kernels for the batch shape; steady-state throughput is what a
  // scoring run of tens of thousands of images sees.
  await embedImages(model, test.pixels.subarray(0, 1024 * 784));
  const t1 = performance.now();
  const testEmb = await embedImages(model, test.pixels);
  const embedSec = (performance.now() - t1) / 1000;
  const trainEmb = await embedImages(model, train.pixels.subarray(0, n * 784));
  const mc = new Float32Array(test.count);
  const testRows = Int32Array.from({ length: test.count }, (_, i) => i);
  await mcColumnOf(model, testEmb.embeddings!, testEmb.featureNorms!, testEmb.dim, testRows.subarray(0, 1024), mc);
  const tMc = performance.now();
  await mcColumnOf(model, testEmb.embeddings!, testEmb.featureNorms!, testEmb.dim, testRows, mc);
  const mcSec = (performance.now() - tMc) / 1000;

  const t2 = performance.now();
  const index = new ExactCosineIndex(trainEmb.embeddings!, trainEmb.dim);
  index.search(testEmb.embeddings!, 10);
  const knnSec = (performance.now() - t2) / 1000;
  index.dispose();
  model.dispose();

  const mem = peakMemory();
  const r: SpeedResult = {
    epochSec,
    eagerEpochSec: eager.sec,
    kerasEpochSec,
    trainImagesPerSec: n / epochSec,
    embedImagesPerSec: test.count / embedSec,
    mcImagesPerSec: test.count / mcSec,
    knnSec,
    knnQueriesPerSec: test.count / knnSec,
  };
  out(
    formatTable([
      ['measure', 'value', 'target'],
      [`training epoch, ${n} images (s, median of 2)`, r.epochSec, '<= 14'],
      [`Keras epoch of the same CNN (s, median of 2, alternating)`, r.kerasEpochSec, ''],
      ['Unsure / Keras epoch', r.epochSec / r.kerasEpochSec, '<= 0.8'],
      [`the same epoch as tfjs ops, one at a time (s)`, r.eagerEpochSec, ''],
      ['training throughput (img/s)', r.trainImagesPerSec, ''],
      ['predict + embed, 10k test images (img/s)', r.embedImagesPerSec, '>= 15000'],
      [`MC-dropout disagreement, ${model.mcPasses} passes, 10k test images (img/s)`, r.mcImagesPerSec, ''],
      [`exact kNN k=10, ${test.count} x ${n} (s, incl. index build)`, r.knnSec, ''],
      ['kNN queries/s', r.knnQueriesPerSec, ''],
      ['rss now (MiB)', mem.rssMiB, ''],
      ['peak rss, resourceUsage maxRSS (MiB)', mem.maxRssMiB, ''],
      ['heap used (MiB)', mem.heapMiB, ''],
      ['external (MiB)', mem.externalMiB, ''],
    ]),
  );
  return r;
}
