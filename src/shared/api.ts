// The contract between the renderer and the main side: every call, with a runtime
// schema for its params and its result. Both transports (Electron IPC, HTTP) validate
// params with these schemas before the service sees them, so a malformed message is
// refused at the edge with a clear error instead of reaching the engine.
// This file imports neither Node nor DOM APIs: both sides compile it.
import { z } from 'zod';

export const OTHER_LABEL = 'other';

/** Why a sample is in the review queue. Bit flags so a sample can have several. */
export const DoubtFlag = { lowConfidence: 1, ood: 2, labelIssue: 4 } as const;
export type DoubtKind = keyof typeof DoubtFlag;

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

export const ProjectStatus = z.enum(['empty', 'loading', 'training', 'scoring', 'ready', 'error']);
export type ProjectStatus = z.infer<typeof ProjectStatus>;

export const ProjectInfo = z.object({
  projectId: z.string(),
  name: z.string(),
  dir: z.string(),
  dataset: DatasetSpec.extend({ demo: z.boolean() }),
  /** Known classes in model output order; 'other' is last once the model has it. */
  classes: z.array(z.string()),
  /** Labels a reviewer can assign: the known classes plus 'other'. */
  labels: z.array(z.string()),
  modelVersion: z.string().nullable(),
  counts: z.object({ train: z.number(), pool: z.number(), duplicates: z.number() }),
  status: ProjectStatus,
  statusMessage: z.string().nullable(),
  thresholds: Thresholds.nullable(),
  backend: BackendInfo,
  /** Held-out accuracy of the current model (samples it did not train on). */
  heldOutAccuracy: z.number().nullable(),
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
  /** DoubtFlag bits. */
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
  duplicates: z.array(z.string()),
});
export type SampleDetail = z.infer<typeof SampleDetail>;

export const DecisionAction = z.enum(['relabel', 'other', 'accept', 'keep', 'skip']);
export type DecisionAction = z.infer<typeof DecisionAction>;

/**
 * One entry of the append-only decision journal. An undo is an entry of its own
 * (action 'undo') naming the batch it reverts, so the journal never rewrites history.
 */
export const JournalEntry = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('decision'),
    entryId: z.string().min(8).max(64),
    batchId: z.string().min(8).max(64),
    sampleId: z.string().min(1).max(128),
    action: DecisionAction,
    /** Label before this decision (given label or an earlier decision), null if none. */
    before: z.string().max(256).nullable(),
    /** Final label after it; null for 'skip'. */
    after: z.string().max(256).nullable(),
    at: z.string().datetime(),
    reviewer: z.string().max(100),
  }),
  z.object({
    kind: z.literal('undo'),
    entryId: z.string().min(8).max(64),
    /** The batch whose decisions this reverts. */
    batchId: z.string().min(8).max(64),
    at: z.string().datetime(),
    reviewer: z.string().max(100),
  }),
]);
export type JournalEntry = z.infer<typeof JournalEntry>;

export const ProgressEvent = z.object({
  type: z.literal('progress'),
  jobId: z.string(),
  task: z.enum(['open', 'train', 'score', 'export', 'labelcheck']),
  phase: z.string(),
  /** 0..1 of the whole job. */
  fraction: z.number(),
  epoch: z.number().optional(),
  epochs: z.number().optional(),
  loss: z.number().optional(),
  accuracy: z.number().optional(),
  samplesPerSec: z.number().optional(),
  etaSec: z.number().optional(),
  message: z.string(),
});
export type ProgressEvent = z.infer<typeof ProgressEvent>;

export const RetrainSummary = z.object({
  modelVersion: z.string(),
  heldOutAccuracyBefore: z.number().nullable(),
  heldOutAccuracyAfter: z.number(),
  queueBefore: z.number(),
  queueAfter: z.number(),
  leftQueue: z.number(),
  /** Pool samples the new model predicts as 'other'. */
  predictedOther: z.number(),
  /** Of the samples the reviewer marked 'other' but the model did not train on, how many it calls 'other'. */
  trainedOnCorrections: z.number(),
});
export type RetrainSummary = z.infer<typeof RetrainSummary>;

export const ExportSummary = z.object({
  dir: z.string(),
  files: z.number(),
  perClass: z.record(z.string(), z.number()),
  manifest: z.array(z.string()),
  corrected: z.number(),
  modelIncluded: z.boolean(),
});
export type ExportSummary = z.infer<typeof ExportSummary>;

export const JobEvent = z.discriminatedUnion('type', [
  ProgressEvent,
  z.object({ type: z.literal('done'), jobId: z.string(), task: ProgressEvent.shape.task, result: z.unknown() }),
  z.object({ type: z.literal('error'), jobId: z.string(), task: ProgressEvent.shape.task, message: z.string() }),
  z.object({ type: z.literal('cancelled'), jobId: z.string(), task: ProgressEvent.shape.task }),
  /** The project changed (new model, queue re-ranked, dataset opened): refetch. */
  z.object({ type: z.literal('project'), project: ProjectInfo }),
]);
export type JobEvent = z.infer<typeof JobEvent>;

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
  histograms: z.array(Histogram),
});
export type Insights = z.infer<typeof Insights>;

export const RecentProject = z.object({
  projectId: z.string(),
  name: z.string(),
  dataset: DatasetSpec.extend({ demo: z.boolean() }),
  openedAt: z.string(),
});
export type RecentProject = z.infer<typeof RecentProject>;

const none = z.object({}).strict();
const jobStarted = z.object({ jobId: z.string() });

/** Every call: params schema and result schema. */
export const Api = {
  getBackend: { params: none, result: BackendInfo },
  getProject: { params: none, result: ProjectInfo },
  openDataset: { params: DatasetSpec.extend({ demo: z.boolean().optional() }).strict(), result: jobStarted },
  listRecent: { params: none, result: z.array(RecentProject) },
  /** The open project's samples (ids and static columns), fixed for one ProjectInfo.openId. */
  getSamples: { params: none, result: Samples.nullable() },
  getQueue: { params: none, result: Queue.nullable() },
  getSample: { params: z.object({ id: z.string().min(1).max(128) }).strict(), result: SampleDetail },
  /** Ids of the pool samples nearest to this one (for "select similar"). */
  similar: {
    params: z.object({ id: z.string().min(1).max(128), k: z.number().int().min(1).max(500) }).strict(),
    result: z.array(z.string()),
  },
  appendJournal: {
    // Bulk decisions on a big selection are real: 100,000 entries in one call are accepted.
    params: z.object({ entries: z.array(JournalEntry).max(100_000) }).strict(),
    /** How many entries were new (the rest were already in the journal). */
    result: z.object({ appended: z.number(), total: z.number() }),
  },
  getJournal: { params: none, result: z.array(JournalEntry) },
  retrain: { params: z.object({ epochs: z.number().int().min(1).max(50).optional() }).strict(), result: jobStarted },
  cancelJob: {
    params: z.object({ jobId: z.string().max(128) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  exportDataset: {
    params: z.object({ dir: z.string().min(1).max(4096) }).strict(),
    result: jobStarted,
  },
  getInsights: { params: none, result: Insights.nullable() },
  /** Predict one image given as PNG or JPEG bytes in base64 (used by checks and drag-in). */
  predictImage: {
    params: z.object({ base64: z.string().min(1).max(20_000_000) }).strict(),
    result: z.object({ predicted: z.string(), confidence: z.number(), probs: z.array(z.number()) }),
  },
} as const;

export type ApiName = keyof typeof Api;
export type ApiParams<N extends ApiName> = z.input<(typeof Api)[N]['params']>;
export type ApiResult<N extends ApiName> = z.infer<(typeof Api)[N]['result']>;

/** What the main side implements once and both transports expose. */
export type ApiHandlers = { [N in ApiName]: (params: z.infer<(typeof Api)[N]['params']>) => Promise<ApiResult<N>> };

/** What the renderer sees, whichever transport is underneath. */
export interface UnsureBridge {
  readonly mode: 'electron' | 'browser';
  invoke<N extends ApiName>(name: N, params: ApiParams<N>): Promise<ApiResult<N>>;
  onEvent(listener: (event: JobEvent) => void): () => void;
  /** URL the renderer can put in <img src> for a sample's image. */
  imageUrl(id: string): string;
  /** URL of one image holding these samples' thumbnails stacked top to bottom (media.ts). */
  sheetUrl(ids: readonly string[]): string;
  /**
   * Electron only: the local path of a file or folder dropped on the window (a sandboxed
   * renderer cannot see paths itself). Browser mode has no such thing: it opens by path.
   */
  pathForFile?(file: Blob): string;
}

export function isApiName(name: unknown): name is ApiName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(Api, name);
}

/** Validates a call at the transport edge; throws an ApiError naming the bad field. */
export function parseCall(name: unknown, params: unknown): { name: ApiName; params: unknown } {
  if (!isApiName(name)) throw new ApiError('bad_request', `unknown API call ${JSON.stringify(name)}`);
  const r = Api[name].params.safeParse(params ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'params';
    throw new ApiError('bad_request', `${name}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return { name, params: r.data };
}

export type ApiErrorCode = 'bad_request' | 'not_found' | 'conflict' | 'failed' | 'unauthorized';

/** What every call answers, over IPC and HTTP alike: the result, or the error as data. */
export type ApiReply<T = unknown> =
  { ok: true; result: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** The message of anything thrown (an Error's, else its string form). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Any failure as the reply a transport sends: an ApiError keeps its code, anything else is 'failed'. */
export function errorReply(err: unknown): Extract<ApiReply, { ok: false }> {
  const e = err instanceof ApiError ? err : new ApiError('failed', errorMessage(err));
  return { ok: false, error: { code: e.code, message: e.message } };
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
