// The contract between the renderer and the main side: every call, with a runtime
// schema for its params and its result. Both transports (Electron IPC, HTTP) validate
// params with these schemas before the service sees them, so a malformed message is
// refused at the edge with a clear error instead of reaching the engine.
// This file imports neither Node nor DOM APIs: both sides compile it.
import { z } from 'zod';
import { ApiError } from './api-errors.js';
import {
  DatasetSpec,
  EmbeddingMap,
  Insights,
  ProjectInfo,
  Queue,
  RecentProject,
  SampleDetail,
  Samples,
  BackendInfo,
} from './read-models.js';
import { JournalEntry } from './journal-entry.js';
import type { JobEvent } from './job-events.js';
import type { ChoosePathPurpose } from './ipc-channels.js';

// The contract's parts, re-exported so every importer keeps importing from here.
export * from './read-models.js';
export * from './journal-entry.js';
export * from './job-events.js';
export * from './api-errors.js';

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
  /** At most 4,000 samples on the plane of the embeddings that spreads the classes most; null before any scoring. */
  getEmbeddingMap: { params: none, result: EmbeddingMap.nullable() },
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
  /** Electron only: the native dialog's choice of a path for the purpose; null when cancelled. */
  choosePath?(purpose: ChoosePathPurpose): Promise<string | null>;
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
