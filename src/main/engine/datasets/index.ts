// The dataset layer's public surface: readers, the demo and its building blocks.
export { loadDataset, assertTrainable, type LoadOptions } from './load-dataset.js';
export { detectDataset, type DetectedDataset } from './detect-kind.js';
export { OTHER_LABEL, UNLABELED_FOLDER, classesOf } from './assemble.js';
export { IDX_CLASS_NAMES } from './load-idx.js';
export {
  loadDemo,
  demoPoolCounts,
  DEFAULT_DEMO_SEED,
  DEFAULT_POOL_SIZE,
  type DemoOptions,
  type DemoOrigin,
} from './demo.js';
export { loadMnist, readMnistRaw, mnistFiles, type MnistSplit, type MnistRaw } from './mnist.js';
export { loadFashionMnist } from './fashion.js';
export {
  generateDistractors,
  DEMO_DISTRACTOR_KINDS,
  EVAL_ONLY_KINDS,
  EXTRA_DEV_KINDS,
  type DistractorKind,
  type DemoDistractorKind,
  type EvalOnlyKind,
} from './distractors.js';
export { encodeGreyPng } from './png.js';
export { readIdxImages, readIdxLabels, encodeIdxImages, encodeIdxLabels } from './idx.js';
export { sampleId } from './sample-id.js';
export { compareNatural } from './natural-sort.js';
export { Rng, mulberry32 } from './random.js';
