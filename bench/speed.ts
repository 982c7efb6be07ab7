// Speed benchmark: one training epoch on the 60,000 MNIST training images, predict+embed
// throughput, the MC-dropout passes on top of it, the 10k x 60k exact kNN, and peak memory. Always cold: no cached model.
import { readMnistRaw } from '../src/main/engine/datasets/index.js';
import { trainCnn } from '../src/main/engine/model/train.js';
import { CnnClassifier } from '../src/main/engine/model/cnn.js';
import { embedImages } from '../src/main/engine/embeddings/embed.js';
import { mcColumnOf } from '../src/main/engine/embeddings/mc-column.js';
import { ExactCosineIndex } from '../src/main/engine/embeddings/knn-index.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/engine/model/train.js';
import { formatTable, peakMemory } from './machine.js';

export interface SpeedResult {
  epochSec: number;
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
  out(`Training one epoch on ${n} MNIST images (batch ${DEFAULT_TRAIN_OPTIONS.batchSize})...\n`);
  const t0 = performance.now();
  const cnn = await trainCnn({ pixels: train.pixels, indices, labels, numClasses: 10 }, { epochs: 1, seed: 1 });
  const epochSec = (performance.now() - t0) / 1000;
  const model = new CnnClassifier(cnn, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

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
    trainImagesPerSec: n / epochSec,
    embedImagesPerSec: test.count / embedSec,
    mcImagesPerSec: test.count / mcSec,
    knnSec,
    knnQueriesPerSec: test.count / knnSec,
  };
  out(
    formatTable([
      ['measure', 'value', 'target'],
      [`training epoch, ${n} images (s)`, r.epochSec, '<= 14'],
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
