// The head's defaults, chosen on CIFAR-10 features of the shipped backbone (docs/colour-model.md).
import type { HeadOptions } from './head.js';
import type { HeadEmbedding } from './head-model.js';

export const HEAD_DEFAULTS: Omit<HeadOptions, 'seed'> = {
  epochs: 20,
  hidden: 128,
  dropout: 0.3,
  batch: 128,
  lr: 0.001,
  weightDecay: 0,
  labelSmoothing: 0,
};

/** Which rows kNN compares. */
export const HEAD_EMBEDDING: HeadEmbedding = 'hidden';
