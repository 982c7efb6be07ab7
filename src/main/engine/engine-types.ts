// The engine's shared types: what goes into and comes out of the engine (engine.ts) and its
// client (engine-client.ts), on either side of the worker.
import type { Thresholds } from '../../shared/api.js';
import type { ModelArch, Recipe } from '../../shared/recipe.js';
import type { CopyFile, CopyGroup, ImageShape, InputLimits, Sample, SkippedFile } from './types.js';
import type { PreprocessSpec } from './model/user/preprocess.js';

export interface EngineProgress {
  task: 'open' | 'train' | 'score' | 'labelcheck' | 'export';
  phase: string;
  /** 0..1 of the whole task. */
  fraction: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
  accuracy?: number;
  samplesPerSec?: number;
  etaSec?: number;
  message: string;
}

export interface OpenSpec {
  /** Labeled dataset path; with neither path the built-in demo is used. */
  train?: string;
  pool?: string;
  /** Project workspace folder: checkpoints and caches go here, never into the dataset. */
  projectDir: string;
  seed?: number;
  /** Per-file limits (default DEFAULT_INPUT_LIMITS). */
  limits?: Partial<InputLimits>;
  /** Fail on the first refused file instead of skipping it (default false). */
  strict?: boolean;
  /** The model family; default 'auto', the rule of datasets/choose-arch.ts. */
  arch?: ModelArch | 'auto';
  /**
   * Run the shipped backbone over photos at open (default true). False when the rows will
   * come from elsewhere (a user's model, imported predictions): computing them would be waste.
   */
  extract?: boolean;
  /**
   * Another backbone than the shipped one: a folder or an http(s) URL, downloaded once into
   * the cache; `sha256` is its main file's checksum, checked when given. A tfjs MobileNetV2 is
   * rebuilt as the shipped one is; any other tfjs, SavedModel or ONNX model gives its features
   * (preprocessing from its preprocessor_config.json or `preprocess`).
   */
  backbone?: { spec: string; sha256?: string; preprocess?: PreprocessSpec };
}

export interface EngineSample extends Sample {
  split: 'train' | 'pool';
}

/**
 * A sample's files across both datasets (CopyGroup with each file's dataset): a pool file
 * with the bytes of a training file is a copy of that training sample, not a sample of its
 * own, so the two never disagree about one id.
 */
export interface SplitCopyGroup extends Omit<CopyGroup, 'files'> {
  /** Index into OpenResult.samples; files[0] is that sample's own path. */
  sample: number;
  /** Training files first, then pool files, each in its dataset's load order. */
  files: (CopyFile & { split: 'train' | 'pool' })[];
}

export interface OpenResult {
  /** Training samples first, then pool samples; indices below refer to this array. */
  samples: EngineSample[];
  /** Known classes (sorted, 'other' excluded). */
  classes: string[];
  /** samples.length stored images of `shape` (bytes), shared with the worker (no copy). */
  pixels: Uint8Array;
  /** One stored image: 28 x 28 grey for the digits recipe; a colour preview for photos. */
  shape: ImageShape;
  /** The model family the data takes and why (from the training set). */
  family: { arch: ModelArch; reason: string };
  /** How images become the model's input: the digits recipe, or the backbone's. */
  recipe: Recipe;
  /** What the backbone that ran is and how its rows were made (Extractor.notes); absent without one. */
  backboneNotes?: string[];
  /** Roots the images may be served from (the custom protocol refuses anything else). */
  roots: string[];
  /** Samples with more than one file (OpenResult.samples stays one row per content). */
  copies: SplitCopyGroup[];
  /** Files left out, each named with the dataset it belongs to ('train' or 'pool'). */
  skipped?: (SkippedFile & { split: 'train' | 'pool' })[];
}

export interface TrainRequest {
  /**
   * Final label of every sample (same order as OpenResult.samples) after the reviewer's
   * decisions: a class, 'other', or null (unlabeled / not for training).
   */
  labels: (string | null)[];
  epochs?: number;
  seed?: number;
  /**
   * Opening the demo: when this request is exactly the training the shipped demo model was
   * made by (resources/demo-model), use those weights instead of training. A retrain
   * leaves it unset and trains for real.
   */
  useShipped?: boolean;
}

export interface TrainResult {
  modelVersion: string;
  /** Model output classes: known classes, plus 'other' last when any sample is labeled other. */
  classes: string[];
  /** Accuracy on the held-out part of the labeled data the model did not train on. */
  heldOutAccuracy: number;
  /** True when an identical earlier training was reused from the project's checkpoints. */
  cached: boolean;
  /** Where the weights came from (absent from older engines: read as 'trained'); 'user': DatasetSpec.model. */
  source?: 'trained' | 'project' | 'shipped' | 'user';
}

/** Samples on the plane of their embeddings that spreads the classes most (embeddings/projection.ts), for the app's map. */
export interface EmbeddingMap {
  modelVersion: string;
  /** Sample indices (OpenResult.samples order); x[i], y[i] place samples[i]. */
  samples: Int32Array;
  x: Float32Array;
  y: Float32Array;
}

/** Predictions made elsewhere, one row per sample (pipeline/external-rows.ts), for Engine.usePredictions. */
export interface PredictionRows {
  classes: string[];
  /** samples x classes.length, log p. */
  logits: Float32Array;
  /** samples x dim, or null without features. */
  features: Float32Array | null;
  dim: number;
}

/** A model made elsewhere, as it became the current model (Engine.useModel). */
export interface UsedModel {
  classes: string[];
  /** What was found in its folder and how it is read (its input, its features or logits). */
  notes: string[];
  heldOutAccuracy: number;
  /** The preprocessing it takes, as read from its folder. */
  recipe: Recipe;
}

/** Every score column for every sample (OpenResult.samples order). Higher = more doubtful. */
export interface ScoreTable {
  modelVersion: string;
  classes: string[];
  /** samples.length * classes.length calibrated probabilities. */
  probs: Float32Array;
  predicted: Int32Array;
  confidence: Float32Array;
  msp: Float32Array;
  margin: Float32Array;
  entropy: Float32Array;
  energy: Float32Array;
  knnDistance: Float32Array;
  /**
   * MC-dropout disagreement (scores/mc-disagreement.ts): variation ratio of MC_PASSES
   * passes with the CNN's dropout on, ties broken by the spread of the top class's
   * probability; in [0, 1). NaN for a user's model (no dropout Unsure can sample) and on
   * pending rows. Not part of oodScore (ood-score.ts says why).
   */
  mcDisagreement: Float32Array;
  oodScore: Float32Array;
  /** NaN where not available (unlabeled, or out-of-fold check not finished). */
  labelIssue: Float32Array;
  reviewPriority: Float32Array;
  /** DoubtFlag bits (shared/api.ts). */
  flags: Uint8Array;
  /** samples.length * k indices into samples (training samples of known classes only). */
  neighbours: Int32Array;
  neighbourSims: Float32Array;
  k: number;
  thresholds: Thresholds;
  /** Sorted scores of held-out in-distribution samples, for percentiles and histograms. */
  heldOut: { oodScore: Float32Array; knnDistance: Float32Array; msp: Float32Array };
  /** Indices of the samples held out from training (for before/after accuracy). */
  heldOutIndices: Int32Array;
  /**
   * Present only on a first-pass table (ScoreOptions.firstPass): 1 for the rows scored so
   * far. Pending rows have NaN scores, predicted -1, reviewPriority -Infinity, no flags and
   * neighbours -1. A later score() call completes them. Absent = every row is scored.
   */
  scored?: Uint8Array;
}

export interface ScoreOptions {
  /**
   * Score what a reviewer sees first (the pool, plus the held-out reference the thresholds
   * and calibration come from) and return at once, leaving the training samples pending;
   * the next score() call scores them, reusing the embeddings.
   */
  firstPass?: boolean;
}
