// The read models the main side serves (project, samples, queue, sample detail, insights,
// recent projects), as runtime schemas with their types. Neither Node nor DOM APIs.
import { z } from 'zod';
import { SHA256_HEX } from './backbone-spec.js';

export const OTHER_LABEL = 'other';

/** The labels a reviewer can assign (ProjectInfo.labels): the dataset's known classes, then 'other'. */
export function assignableLabels(classes: readonly string[]): string[] {
  return [...classes, OTHER_LABEL];
}

/** Why a sample is in the review queue. Bit flags so a sample can have several. */
export const DoubtFlag = { lowConfidence: 1, ood: 2, labelIssue: 4 } as const;
export type DoubtKind = keyof typeof DoubtFlag;
/**
 * A flags bit beside the DoubtFlag kinds: the row is predicted 'other' because it lies far
 * outside every known class (its ood_score past the scorer's farThreshold), not because the
 * classifier's 'other' output won.
 */
export const OTHER_BY_DISTANCE = 128;

/**
 * Queue.flags bits above the DoubtFlag ones: facts about a sample's files rather than
 * doubts, for tile badges and the files filter. copies: more than one file has its bytes;
 * labelConflict: those files were given different labels.
 */
export const FileFlag = { copies: 8, labelConflict: 16 } as const;

export const BackendInfo = z.object({
  /** tfjs backend name; 'tensorflow' means native libtensorflow. */
  backend: z.string(),
  /** libtensorflow version the binding runs on, e.g. '2.21.0' (offline build) or '2.9.1'. */
  libtensorflow: z.string(),
  tfjsNode: z.string(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

export const DatasetSpec = z
  .object({
    /** Labeled dataset: class folders, CSV manifest or IDX folder. */
    train: z.string().min(1).max(4096).optional(),
    /** Review pool: any dataset; labeled rows keep their label. */
    pool: z.string().min(1).max(4096).optional(),
    /** The model family asked for; absent or 'auto': the data decides (datasets/choose-arch.ts). */
    arch: z.enum(['auto', 'cnn', 'backbone']).optional(),
    /**
     * The user's own model (a folder or file: tfjs, SavedModel, ONNX, an Unsure checkpoint) to
     * score with instead of training one; retrains train a head on its features. Never modified.
     */
    model: z.string().min(1).max(4096).optional(),
    /**
     * Out-of-sample class probabilities of the training files made elsewhere (cleanlab's
     * interface: .npy in `unsure manifest` order, or a CSV with a path column), and optionally
     * their features; classes from a classes.json beside the file or the CSV's header.
     */
    predProbs: z.string().min(1).max(4096).optional(),
    features: z.string().min(1).max(4096).optional(),
    /**
     * Another backbone than the shipped one (implies arch 'backbone'): a tfjs, SavedModel or
     * ONNX folder, or an http(s) URL downloaded once into the cache; backboneSha256 checks it.
     */
    backbone: z.string().min(1).max(4096).optional(),
    backboneSha256: z.string().regex(SHA256_HEX, 'a sha256 is 64 hex digits').optional(),
  })
  .strict();
export type DatasetSpec = z.infer<typeof DatasetSpec>;

export const Thresholds = z.object({
  /** ood_score above this looks out-of-distribution (95% of held-out in-distribution below). */
  ood: z.number(),
  /** msp above this is low confidence. */
  lowConfidence: z.number(),
  /** label_issue above this is a likely label error. */
  labelIssue: z.number(),
});
export type Thresholds = z.infer<typeof Thresholds>;

/** One stored image (the grid's thumbnails): height x width x channels, channels last. */
export const ImageInfo = z.object({
  height: z.number().int().min(1),
  width: z.number().int().min(1),
  channels: z.union([z.literal(1), z.literal(3)]),
});
export type ImageInfo = z.infer<typeof ImageInfo>;

/** A file's own size, before any recipe (channels: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA or CMYK). */
export const NativeSizeInfo = z.object({
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  channels: z.number().int().min(1).max(4),
});
export type NativeSizeInfo = z.infer<typeof NativeSizeInfo>;

/** What the model takes: its family and why, and the recipe in one line (describeRecipe). */
export const ModelInfo = z.object({
  arch: z.enum(['cnn', 'backbone']),
  reason: z.string(),
  recipe: z.string(),
  /**
   * The user's own model (DatasetSpec.model) or predictions (predProbs) score; they serve as
   * the backbone of retrained heads.
   */
  own: z.enum(['model', 'predictions']).optional(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const ProjectStatus = z.enum(['empty', 'loading', 'training', 'scoring', 'ready', 'error']);
export type ProjectStatus = z.infer<typeof ProjectStatus>;

export const ProjectInfo = z.object({
  projectId: z.string(),
  name: z.string(),
  /** The folder Export offers first; absent from older main sides. */
  exportDir: z.string().optional(),
  dir: z.string(),
  dataset: DatasetSpec.extend({ demo: z.boolean() }),
  /** Known classes in model output order; 'other' is last once the model has it. */
  classes: z.array(z.string()),
  /** Labels a reviewer can assign: the known classes plus 'other'. */
  labels: z.array(z.string()),
  modelVersion: z.string().nullable(),
  /**
   * Samples by split; duplicates: files that repeat an earlier file's bytes (each is a copy
   * of that sample); labelConflicts: samples whose files were given different labels.
   */
  counts: z.object({
    train: z.number(),
    pool: z.number(),
    duplicates: z.number(),
    labelConflicts: z.number().optional(),
  }),
  status: ProjectStatus,
  statusMessage: z.string().nullable(),
  thresholds: Thresholds.nullable(),
  backend: BackendInfo,
  /** Held-out accuracy of the current model (samples it did not train on), and how many it counts. */
  heldOutAccuracy: z.number().nullable(),
  heldOutSamples: z.number().int().nullable(),
  /** Revision of the queue the main side holds now (Queue.revision), null before the first ranking. */
  queueRevision: z.string().nullable(),
  /**
   * Identifies this opening of the project (unique across launches); Samples for it never
   * change, so the renderer fetches getSamples again only when this does. Null while none is open.
   */
  openId: z.string().nullable(),
  /**
   * Problems with the project's own files the user should see (e.g. a torn line in the
   * decision journal, left by a crash and skipped). Absent from older main sides.
   */
  warnings: z.array(z.string()).optional(),
  /** The stored image of every sample, as the thumbnail sheets hold it; absent while none is open. */
  image: ImageInfo.optional(),
  /** The model family and recipe of the open project; absent while none is open. */
  model: ModelInfo.optional(),
});
export type ProjectInfo = z.infer<typeof ProjectInfo>;

/**
 * The samples of the open project, column-wise (row i of every array is sample i). They do
 * not change while the project stays open, so the renderer fetches them once per openId;
 * each queue revision then sends only its order and its per-revision columns.
 */
export const Samples = z.object({
  /** ProjectInfo.openId of the opening these samples belong to. */
  openId: z.string(),
  ids: z.array(z.string()),
  /** Where the sample comes from: 0 = training set, 1 = review pool. */
  split: z.array(z.number().int()),
  /** Index into ProjectInfo.labels, or -1 when unlabeled. */
  given: z.array(z.number().int()),
  /**
   * Labels files were given that are no class of the training set (a pool's class folder the
   * training set lacks), by sample index: given is -1 for them, and the tile says what it was.
   * Absent from older main sides.
   */
  foreignGiven: z.record(z.string(), z.string()).optional(),
});
export type Samples = z.infer<typeof Samples>;

/**
 * The ranked queue of one revision, column-wise and compact: the sample ids and static
 * columns are in Samples, fetched once per opening; this carries what a re-ranking changes.
 * Row r of every array is one queue row; rows are sorted by review priority, most doubtful first.
 */
export const Queue = z.object({
  modelVersion: z.string(),
  /** Changes whenever the queue is rebuilt (a new model, or new scores such as the label check's). */
  revision: z.string(),
  /** The opening whose Samples `order` indexes (ProjectInfo.openId). */
  openId: z.string(),
  /** Index into Samples (ids, split, given) of each row's sample. */
  order: z.array(z.number().int().min(0)),
  /** Index into ProjectInfo.classes. */
  predicted: z.array(z.number().int()),
  /** Probability of the predicted class, rounded to 3 decimals (it is shown as a percentage). */
  confidence: z.array(z.number()),
  /** DoubtFlag bits, plus FileFlag bits for samples with copies or a label conflict. */
  flags: z.array(z.number().int()),
});
export type Queue = z.infer<typeof Queue>;

export const Scores = z.object({
  msp: z.number(),
  margin: z.number(),
  entropy: z.number(),
  energy: z.number(),
  knnDistance: z.number(),
  /** MC-dropout disagreement (share of dropout passes that disagree); null for a model without dropout. */
  mcDisagreement: z.number().nullable(),
  oodScore: z.number(),
  labelIssue: z.number().nullable(),
  reviewPriority: z.number(),
});
export type Scores = z.infer<typeof Scores>;

export const Neighbour = z.object({ id: z.string(), label: z.string(), similarity: z.number() });
export type Neighbour = z.infer<typeof Neighbour>;

export const SampleDetail = z.object({
  id: z.string(),
  path: z.string(),
  split: z.enum(['train', 'pool']),
  given: z.string().nullable(),
  predicted: z.string(),
  confidence: z.number(),
  /** Probability of every class of ProjectInfo.classes, same order. */
  probs: z.array(z.number()),
  scores: Scores,
  /** Percentile of this sample's scores among held-out in-distribution samples (0-100). */
  percentiles: z.object({ oodScore: z.number(), knnDistance: z.number(), msp: z.number() }),
  /** Plain-words verdicts, most important first. */
  verdicts: z.array(z.string()),
  flags: z.number().int(),
  neighbours: z.array(Neighbour),
  /** The other files with this sample's bytes ("train:" before a training file's path seen from the pool). */
  duplicates: z.array(z.string()),
  /** The original file (absolute), null for IDX records and generated samples; absent from older main sides. */
  file: z.string().nullable().optional(),
  /** The file's own size and channels, when the loader probed it. */
  size: NativeSizeInfo.nullable().optional(),
});
export type SampleDetail = z.infer<typeof SampleDetail>;

export const Histogram = z.object({
  score: z.string(),
  edges: z.array(z.number()),
  inDistribution: z.array(z.number()),
  pool: z.array(z.number()),
  threshold: z.number().nullable(),
});
export const Insights = z.object({
  /** Row = given label (ProjectInfo.labels), column = predicted (ProjectInfo.classes). */
  confusion: z.array(z.array(z.number())),
  /** Which samples the matrix counts: the held-out ones (never trained on), or every labelled one where none is. */
  confusionOf: z.object({ rows: z.enum(['held-out', 'labelled']), count: z.number().int() }),
  histograms: z.array(Histogram),
});
export type Insights = z.infer<typeof Insights>;

/** Samples placed on the plane of the model's embeddings that spreads its classes most (Insights' map). */
export const EmbeddingMap = z.object({
  modelVersion: z.string(),
  /** Point i is sample ids[i], at (x[i], y[i]); predicted indexes ProjectInfo.classes, flags are DoubtFlag bits. */
  ids: z.array(z.string()),
  x: z.array(z.number()),
  y: z.array(z.number()),
  predicted: z.array(z.number().int()),
  flags: z.array(z.number().int()),
  /** 0 = training set, 1 = review pool. */
  split: z.array(z.number().int()),
});
export type EmbeddingMap = z.infer<typeof EmbeddingMap>;

export const RecentProject = z.object({
  projectId: z.string(),
  name: z.string(),
  dataset: DatasetSpec.extend({ demo: z.boolean() }),
  openedAt: z.string(),
});
export type RecentProject = z.infer<typeof RecentProject>;
