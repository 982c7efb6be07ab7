// The API implemented once, for both transports. It owns the project state that the UI
// reads (samples, the current ScoreTable, the decision journal) and delegates every heavy
// computation to the worker-backed engine, so its methods return in milliseconds.
// A thin composition: the state (project-state.ts), the jobs that change it
// (project-lifecycle.ts) and the read models (sample-detail, sample-media, queue, insights).
import {
  ApiError,
  errorMessage,
  type ApiHandlers,
  type DatasetSpec,
  type JobEvent,
  type ProjectInfo,
} from '../../shared/api.js';
import type { EngineClient } from '../engine/engine-client.js';
import { itemAt } from '../../shared/checked-index.js';
import { listRecent } from '../engine/project/projects.js';
import { buildInsights } from './insights.js';
import { checkAppendedEntries } from './journal-append.js';
import { ProjectLifecycle } from './project-lifecycle.js';
import { indexOf, ProjectState } from './project-state.js';
import { sampleDetail } from './sample-detail.js';
import { completeScores } from './scoring.js';
import { mediaSheet, sampleMedia, type Media } from './sample-media.js';

/** How many samples Insights' map shows: enough to see the clusters, few enough to draw at once. */
const EMBEDDING_MAP_POINTS = 4000;

export type { Media } from './sample-media.js';

export interface ServiceOptions {
  engine: EngineClient;
  /** Dataset to open at start; the built-in demo when it names neither train nor pool. */
  initial?: DatasetSpec;
  seed?: number;
}

export class UnsureService {
  private readonly state = new ProjectState();
  private readonly lifecycle: ProjectLifecycle;
  readonly events = this.state.events;

  constructor(private readonly opts: ServiceOptions) {
    this.lifecycle = new ProjectLifecycle({ state: this.state, engine: opts.engine, seed: opts.seed });
  }

  /** Opens the initial dataset (or the demo) in the background. */
  async start(): Promise<string> {
    this.state.backendInfo = await this.opts.engine.backend();
    const spec = this.opts.initial ?? {};
    return this.lifecycle.open({ ...spec, demo: !spec.train && !spec.pool });
  }

  onEvent(listener: (e: JobEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  projectInfo(): ProjectInfo {
    return this.state.projectInfo();
  }

  readonly handlers: ApiHandlers = {
    getBackend: async () => {
      this.state.backendInfo ??= await this.opts.engine.backend();
      return this.state.backendInfo;
    },
    getProject: async () => this.state.projectInfo(),
    openDataset: async (params) => ({ jobId: await this.lifecycle.open(params) }),
    listRecent: async () => listRecent(),
    getSamples: async () => this.state.project?.samples ?? null,
    getQueue: async () => this.state.project?.queue ?? null,
    getSample: async ({ id }) => {
      const { p, t } = this.state.requireTable();
      return sampleDetail(p, t, id);
    },
    similar: async ({ id, k }) => {
      const p = this.state.requireProject();
      const near = await this.opts.engine.similar(indexOf(p, id), k);
      return near.map((j) => itemAt(p.data.samples, j, 'similar samples').id);
    },
    appendJournal: async ({ entries }) => {
      const p = this.state.requireProject();
      checkAppendedEntries(p, entries);
      return p.journal.append(entries);
    },
    getJournal: async () => this.state.project?.journal.entries() ?? [],
    retrain: async ({ epochs }) => ({ jobId: this.lifecycle.retrain(epochs) }),
    cancelJob: async ({ jobId }) => ({ cancelled: this.lifecycle.jobs.cancel(jobId) }),
    exportDataset: async ({ dir }) => ({ jobId: this.lifecycle.export(dir) }),
    getEmbeddingMap: async () => {
      const p = this.state.project;
      if (!p?.table) return null;
      // A first pass has not embedded the training samples yet.
      await completeScores({ state: this.state, engine: this.opts.engine }, p);
      const m = await this.opts.engine.embeddingMap(EMBEDDING_MAP_POINTS);
      const t = p.table;
      if (!m || !t || m.modelVersion !== t.modelVersion) return null;
      const rows = [...m.samples];
      return {
        modelVersion: m.modelVersion,
        ids: rows.map((i) => p.data.samples[i]!.id),
        x: [...m.x],
        y: [...m.y],
        predicted: rows.map((i) => t.predicted[i]!),
        flags: rows.map((i) => t.flags[i]!),
        split: rows.map((i) => (p.data.samples[i]!.split === 'train' ? 0 : 1)),
      };
    },
    getInsights: async () => {
      const p = this.state.project;
      if (!p?.table) return null;
      return buildInsights(p.table, p.data.samples, this.state.projectInfo().labels);
    },
    predictImage: async ({ base64 }) => {
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.length === 0) throw new ApiError('bad_request', 'predictImage: base64 holds no bytes');
      try {
        const r = await this.opts.engine.predictImage(new Uint8Array(bytes));
        return { predicted: r.predicted, confidence: r.confidence, probs: r.probs };
      } catch (err) {
        throw new ApiError('bad_request', `predictImage: ${errorMessage(err)}`);
      }
    },
  };

  /** The image of a sample: its original file (only inside the dataset roots) or a PNG. */
  media(id: string): Promise<Media> {
    return sampleMedia(this.state.requireProject(), id);
  }

  /** Many samples' images in one PNG (sample-media.ts). */
  mediaSheet(ids: readonly string[]): Media {
    return mediaSheet(this.state.requireProject(), ids);
  }

  async close(): Promise<void> {
    await this.opts.engine.close();
  }
}
