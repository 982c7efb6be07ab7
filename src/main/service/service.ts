// The API implemented once, for both transports. It owns the project state that the UI
// reads (samples, the current ScoreTable, the decision journal) and delegates every heavy
// computation to the worker-backed engine, so its methods return in milliseconds.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  ApiError,
  errorMessage,
  OTHER_LABEL,
  type ApiHandlers,
  type DatasetSpec,
  type JobEvent,
  type ProjectInfo,
  type Queue,
  type Samples,
  type RetrainSummary,
  type SampleDetail,
} from '../../shared/api.js';
import type { EngineClient } from '../engine/engine-client.js';
import type { OpenResult, ScoreTable, TrainResult } from '../engine/engine-types.js';
import { exportDataset } from '../engine/export/export-dataset.js';
import { exportDestination } from '../engine/export/export-target.js';
import { discardNewProject, listRecent, openProject, touchRecent } from '../engine/project/projects.js';
import { openJournal, type Journal } from '../engine/review/journal.js';
import { entryProblem, finalLabels, foldJournal, givenLabelsOf, type JournalFold } from '../../shared/journal-fold.js';
import { encodeGreyPng } from '../engine/datasets/png.js';
import { IMAGE_SIZE, imageAt, PIXELS_PER_IMAGE } from '../engine/types.js';
import { resolveInsideRoots } from '../security/path-guard.js';
import { buildInsights } from './insights.js';
import { JobRunner, type JobContext } from './jobs.js';
import { percentileOf } from '../engine/scores/thresholds.js';
import { verdicts } from './verdicts.js';
import { buildQueue, buildSamples } from './queue.js';

export interface ServiceOptions {
  engine: EngineClient;
  /** Dataset to open at start; the built-in demo when it names neither train nor pool. */
  initial?: DatasetSpec;
  seed?: number;
}

interface OpenProject {
  spec: DatasetSpec & { demo: boolean };
  dir: string;
  journal: Journal;
  data: OpenResult;
  index: Map<string, number>;
  train: TrainResult | null;
  table: ScoreTable | null;
  /** The samples as getSamples sends them; fixed for this opening (samples.openId). */
  samples: Samples;
  queue: Queue | null;
  /** Sample counts by split: the samples never change while the project is open. */
  counts: { train: number; pool: number };
  /** What the user should know about this project's files (a torn journal line, ...). */
  warnings: string[];
}

export type Media = { kind: 'file'; file: string } | { kind: 'bytes'; contentType: string; body: Buffer };

export class UnsureService {
  readonly events = new EventEmitter();
  private readonly jobs = new JobRunner((e) => this.emit(e));
  private project: OpenProject | null = null;
  private status: ProjectInfo['status'] = 'empty';
  private statusMessage: string | null = null;
  private pendingSpec: (DatasetSpec & { demo: boolean }) | null = null;
  private backendInfo: { backend: string; libtensorflow: string; tfjsNode: string } | null = null;
  private labelCheck: AbortController | null = null;

  /** Queue revisions are unique across launches: a renderer that outlives a restart must refetch. */
  private readonly launchId = randomUUID().slice(0, 8);
  private queueBuilds = 0;
  private opens = 0;

  constructor(private readonly opts: ServiceOptions) {}

  /** A new score table re-ranks the queue; the new revision tells the renderer to fetch it. */
  private setTable(p: OpenProject, table: ScoreTable): void {
    p.table = table;
    const revision = `${this.launchId}-${++this.queueBuilds}`;
    p.queue = buildQueue(table, p.data.samples.length, p.samples.openId, revision);
  }

  /** Opens the initial dataset (or the demo) in the background. */
  async start(): Promise<string> {
    this.backendInfo = await this.opts.engine.backend();
    const spec = this.opts.initial ?? {};
    return this.openDataset({ ...spec, demo: !spec.train && !spec.pool });
  }

  onEvent(listener: (e: JobEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private emit(e: JobEvent): void {
    this.events.emit('event', e);
  }

  private setStatus(status: ProjectInfo['status'], message: string | null = null): void {
    this.status = status;
    this.statusMessage = message;
    this.emit({ type: 'project', project: this.projectInfo() });
  }

  private requireProject(): OpenProject {
    if (!this.project) throw new ApiError('conflict', 'no dataset is open yet');
    return this.project;
  }

  private requireTable(): { p: OpenProject; t: ScoreTable } {
    const p = this.requireProject();
    if (!p.table) throw new ApiError('conflict', 'the model has not scored the samples yet');
    return { p, t: p.table };
  }

  private fold(p: OpenProject): JournalFold {
    return foldJournal(p.journal.entries(), givenLabelsOf(p.data.samples));
  }

  projectInfo(): ProjectInfo {
    const p = this.project;
    const spec = p?.spec ?? this.pendingSpec ?? { demo: true };
    const classes = p?.table?.classes ?? p?.data.classes ?? [];
    const known = p?.data.classes ?? [];
    return {
      projectId: p ? path.basename(p.dir) : '',
      name: spec.demo ? 'Digits in the wild (demo)' : path.basename(spec.pool ?? spec.train ?? ''),
      dir: p?.dir ?? '',
      dataset: spec,
      classes,
      labels: [...known, OTHER_LABEL],
      modelVersion: p?.table?.modelVersion ?? null,
      counts: {
        train: p?.counts.train ?? 0,
        pool: p?.counts.pool ?? 0,
        duplicates: p?.data.duplicates.length ?? 0,
      },
      status: this.status,
      statusMessage: this.statusMessage,
      thresholds: p?.table?.thresholds ?? null,
      backend: this.backendInfo ?? { backend: 'unknown', libtensorflow: 'unknown', tfjsNode: 'unknown' },
      heldOutAccuracy: p?.train?.heldOutAccuracy ?? null,
      queueRevision: p?.queue?.revision ?? null,
      openId: p?.samples.openId ?? null,
      warnings: p?.warnings.slice() ?? [],
    };
  }

  /**
   * Trains (or reuses the cached model) on the journal's labels, then scores everything.
   * `opening`: the first ranking of a freshly opened dataset, where the demo may use its
   * shipped model and the pool is ranked before the training samples are scored (the
   * background task completes them).
   */
  private async trainAndScore(p: OpenProject, ctx: JobContext, epochs?: number, opening = false) {
    const labels = finalLabels(p.data.samples, this.fold(p));
    this.setStatus('training');
    const train = await this.opts.engine.train(
      { labels, epochs, seed: this.opts.seed, useShipped: opening && p.spec.demo },
      ctx.progress,
      ctx.signal,
    );
    this.setStatus('scoring');
    const table = await this.opts.engine.score(ctx.progress, { firstPass: opening });
    return { train, table };
  }

  /** Scores the rows a first pass left pending (a no-op on a complete table). */
  private async completeScores(p: OpenProject): Promise<void> {
    if (!p.table?.scored) return;
    // Quietly: the queue on screen is already usable, and a progress bar for a few seconds
    // of background work would only distract.
    const table = await this.opts.engine.score(() => {});
    if (this.project !== p) return;
    this.setTable(p, table);
  }

  /**
   * Out-of-fold label checks take about as long as a training, so they run in the
   * background after the first ranking and join the queue when ready. Any job the user
   * starts (retrain, open, export) cancels them: the engine runs one thing at a time, and
   * the user's request must not wait behind a background check.
   */
  private runLabelCheck(p: OpenProject): void {
    const controller = new AbortController();
    this.labelCheck = controller;
    const stale = () => controller.signal.aborted || this.project !== p || this.jobs.running !== null;
    void (async () => {
      try {
        if (p.table?.scored) {
          // The training samples' scores first: they join the queue in seconds, the label
          // check takes as long as a training.
          await this.completeScores(p);
          if (stale()) return;
          this.setStatus('ready');
        }
        const labels = finalLabels(p.data.samples, this.fold(p));
        await this.opts.engine.labelCheck(
          labels,
          (x) => this.emit({ type: 'progress', jobId: 'labelcheck', ...x }),
          controller.signal,
        );
        if (stale()) return;
        const table = await this.opts.engine.score(() => {});
        if (stale()) return;
        this.setTable(p, table);
        this.emit({ type: 'done', jobId: 'labelcheck', task: 'labelcheck', result: null });
        this.setStatus('ready');
      } catch (err) {
        if (!controller.signal.aborted && this.project === p) {
          this.emit({ type: 'error', jobId: 'labelcheck', task: 'labelcheck', message: errorMessage(err) });
        }
      } finally {
        if (this.labelCheck === controller) this.labelCheck = null;
      }
    })();
  }

  private cancelLabelCheck(): void {
    this.labelCheck?.abort();
    this.labelCheck = null;
  }

  // ---- API ----------------------------------------------------------------------------

  readonly handlers: ApiHandlers = {
    getBackend: async () => {
      this.backendInfo ??= await this.opts.engine.backend();
      return this.backendInfo;
    },
    getProject: async () => this.projectInfo(),
    openDataset: async (params) => ({ jobId: await this.openDataset(params) }),
    listRecent: async () => listRecent(),
    getSamples: async () => this.project?.samples ?? null,
    getQueue: async () => this.project?.queue ?? null,
    getSample: async ({ id }) => this.sampleDetail(id),
    similar: async ({ id, k }) => {
      const p = this.requireProject();
      const i = this.indexOf(p, id);
      const near = await this.opts.engine.similar(i, k);
      return near.map((j) => p.data.samples[j]!.id);
    },
    appendJournal: async ({ entries }) => {
      const p = this.requireProject();
      // One label set for the whole batch: recomputing project info per entry made 1,000
      // entries take seconds (it counts every sample).
      const labels = new Set([...p.data.classes, OTHER_LABEL]);
      entries.forEach((e, i) => {
        if (e.kind !== 'decision') return;
        const sample = p.data.samples[this.indexOf(p, e.sampleId)]!;
        if (e.after !== null && !labels.has(e.after)) {
          throw new ApiError(
            'bad_request',
            `entry ${i}: label ${JSON.stringify(e.after)} is not one of this project's labels`,
          );
        }
        // The fold's contract (src/shared/journal-fold.ts): no entry whose `after` contradicts its action.
        const problem = entryProblem(e, sample.label);
        if (problem) throw new ApiError('bad_request', `entry ${i} (sample ${e.sampleId}): ${problem}`);
      });
      return p.journal.append(entries);
    },
    getJournal: async () => this.project?.journal.entries() ?? [],
    retrain: async ({ epochs }) => ({ jobId: this.retrain(epochs) }),
    cancelJob: async ({ jobId }) => ({ cancelled: this.jobs.cancel(jobId) }),
    exportDataset: async ({ dir }) => ({ jobId: this.export(dir) }),
    getInsights: async () => {
      const p = this.project;
      if (!p?.table) return null;
      return buildInsights(p.table, p.data.samples, this.projectInfo().labels);
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

  private indexOf(p: OpenProject, id: string): number {
    const i = p.index.get(id);
    if (i === undefined) throw new ApiError('not_found', `no sample with id ${JSON.stringify(id)} in this project`);
    return i;
  }

  private async openDataset(params: DatasetSpec & { demo?: boolean }): Promise<string> {
    const demo = params.demo ?? (!params.train && !params.pool);
    const spec = demo ? { demo: true } : { train: params.train, pool: params.pool, demo: false };
    if (!demo && !spec.train) {
      throw new ApiError('bad_request', 'a labeled training dataset (train) is needed to train a model');
    }
    // Before the project folder is made: a mistyped path must not leave one behind per try.
    for (const [what, where] of [
      ['train', spec.train],
      ['pool', spec.pool],
    ] as const) {
      if (where !== undefined && !(await pathExists(where))) {
        throw new ApiError('bad_request', `${what}: ${where} does not exist`);
      }
    }
    const project = await openProject(spec);
    const dir = project.dir;
    this.cancelLabelCheck();
    return this.jobs.start('open', async (ctx) => {
      const previous = this.project;
      this.pendingSpec = spec;
      this.setStatus('loading');
      try {
        const data = await this.opts.engine.open(
          { train: spec.train, pool: spec.pool, projectDir: dir, seed: this.opts.seed },
          ctx.progress,
        );
        const warnings: string[] = [];
        let opened = false;
        const journal = openJournal(dir, {
          warn: (m) => {
            console.warn(m);
            // Kept for the app's notices; the first few are enough to say what happened.
            if (warnings.length < 20) warnings.push(m);
            if (opened && this.project === p) this.emit({ type: 'project', project: this.projectInfo() });
          },
        });
        const p: OpenProject = {
          spec,
          dir,
          journal,
          data,
          index: new Map(data.samples.map((s, i) => [s.id, i])),
          samples: buildSamples(data, `${this.launchId}-open${++this.opens}`),
          train: null,
          table: null,
          queue: null,
          counts: {
            train: data.samples.filter((s) => s.split === 'train').length,
            pool: data.samples.filter((s) => s.split === 'pool').length,
          },
          warnings,
        };
        this.project = p;
        opened = true;
        await touchRecent({ projectId: path.basename(dir), name: this.projectInfo().name, dataset: spec });
        const { train, table } = await this.trainAndScore(p, ctx, undefined, true);
        p.train = train;
        this.setTable(p, table);
        this.setStatus('ready');
        this.runLabelCheck(p);
        return this.projectInfo();
      } catch (err) {
        const message = errorMessage(err);
        if (this.project === previous) await discardNewProject(project);
        if (this.project === previous && previous?.table) {
          // The engine replaces its state only when a dataset opened, so the previous
          // project is still whole: keep working on it and say what failed.
          this.pendingSpec = null;
          this.setStatus('ready', `could not open the dataset: ${message}`);
        } else {
          this.setStatus('error', message);
        }
        throw err;
      }
    });
  }

  private retrain(epochs?: number): string {
    const p = this.requireProject();
    // A retrain that fails or is cancelled keeps the previous model: its check carries on.
    const resumeCheck = this.labelCheck !== null;
    this.cancelLabelCheck();
    return this.jobs.start('train', async (ctx) => {
      // The before/after summary compares whole tables.
      await this.completeScores(p);
      const before = { table: p.table, train: p.train, queue: p.queue };
      try {
        const { train, table } = await this.trainAndScore(p, ctx, epochs);
        p.train = train;
        this.setTable(p, table);
        this.setStatus('ready');
        this.runLabelCheck(p);
        return retrainSummary(before.table, before.train, table, train, p);
      } catch (err) {
        // The previous model stays in place (the engine keeps it on failure or cancel).
        Object.assign(p, before);
        this.setStatus(
          'ready',
          ctx.signal.aborted
            ? 'retraining cancelled; the previous model is kept'
            : `retraining failed: ${errorMessage(err)}`,
        );
        if (resumeCheck && this.project === p) this.runLabelCheck(p);
        throw err;
      }
    });
  }

  private export(dir: string): string {
    const p = this.requireProject();
    // Absolute, outside the datasets, not someone else's folder: refused before any work.
    const dest = exportDestination(dir, p.data.roots);
    // Saving the model needs the engine, which must not wait behind a background check;
    // the check starts again once the export is written.
    const resumeCheck = this.labelCheck !== null;
    this.cancelLabelCheck();
    return this.jobs.start('export', async (ctx) => {
      // An export carries every sample's scores: finish a first pass's pending ones.
      await this.completeScores(p);
      const folded = this.fold(p);
      const summary = await exportDataset({
        dest,
        samples: p.data.samples,
        pixels: p.data.pixels,
        decisions: folded.samples,
        labels: finalLabels(p.data.samples, folded),
        table: p.table ?? undefined,
        sourceRoots: p.data.roots,
        sourceKind: p.spec.demo ? 'demo' : undefined,
        saveModel: p.table ? (d: string) => this.opts.engine.saveModel(d) : undefined,
        onProgress: (done: number, total: number) =>
          ctx.progress({
            task: 'export',
            phase: 'writing',
            fraction: total ? done / total : 1,
            message: `${done} / ${total} files`,
          }),
      }).finally(() => {
        if (resumeCheck && this.project === p) this.runLabelCheck(p);
      });
      return summary;
    });
  }

  private sampleDetail(id: string): SampleDetail {
    const { p, t } = this.requireTable();
    const i = this.indexOf(p, id);
    if (t.scored && !t.scored[i]) {
      throw new ApiError('conflict', 'this training sample is still being scored; it joins the queue in a few seconds');
    }
    const s = p.data.samples[i]!;
    const C = t.classes.length;
    const probs = Array.from(t.probs.subarray(i * C, (i + 1) * C));
    const neighbours = [];
    for (let j = 0; j < t.k; j++) {
      const n = t.neighbours[i * t.k + j]!;
      if (n < 0) continue;
      const ns = p.data.samples[n]!;
      neighbours.push({ id: ns.id, label: ns.label ?? '', similarity: t.neighbourSims[i * t.k + j]! });
    }
    const labelIssue = Number.isNaN(t.labelIssue[i]!) ? null : t.labelIssue[i]!;
    const predicted = t.classes[t.predicted[i]!] ?? '?';
    const percentiles = {
      oodScore: pct(t.heldOut.oodScore, t.oodScore[i]!),
      knnDistance: pct(t.heldOut.knnDistance, t.knnDistance[i]!),
      msp: pct(t.heldOut.msp, t.msp[i]!),
    };
    const counts = new Map<string, number>();
    for (const n of neighbours) counts.set(n.label, (counts.get(n.label) ?? 0) + 1);
    const nearestLabel = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    return {
      id,
      path: s.path,
      split: s.split,
      given: s.label,
      predicted,
      confidence: t.confidence[i]!,
      probs,
      scores: {
        msp: t.msp[i]!,
        margin: t.margin[i]!,
        entropy: t.entropy[i]!,
        energy: t.energy[i]!,
        knnDistance: t.knnDistance[i]!,
        mcDisagreement: Number.isNaN(t.mcDisagreement[i]!) ? null : t.mcDisagreement[i]!,
        oodScore: t.oodScore[i]!,
        labelIssue,
        reviewPriority: t.reviewPriority[i]!,
      },
      percentiles,
      verdicts: verdicts({
        predicted,
        confidence: t.confidence[i]!,
        given: s.label,
        flags: t.flags[i]!,
        oodPercentile: percentiles.oodScore,
        knnPercentile: percentiles.knnDistance,
        mspPercentile: percentiles.msp,
        labelIssue,
        nearestLabel,
      }),
      flags: t.flags[i]!,
      neighbours,
      duplicates: p.data.duplicates.find((g) => g.includes(s.path))?.filter((x) => x !== s.path) ?? [],
    };
  }

  /** The image of a sample: its original file (only inside the dataset roots) or a PNG. */
  media(id: string): Media {
    const p = this.requireProject();
    const i = this.indexOf(p, id);
    const s = p.data.samples[i]!;
    if (s.file) {
      const file = resolveInsideRoots(s.file, p.data.roots);
      if (!file) throw new ApiError('not_found', `${s.path} is outside the opened dataset`);
      return { kind: 'file', file };
    }
    const px = imageAt(p.data.pixels, i);
    return { kind: 'bytes', contentType: 'image/png', body: encodeGreyPng(px, IMAGE_SIZE, IMAGE_SIZE) };
  }

  /**
   * Many samples' images in one PNG, stacked top to bottom (../../shared/media.ts): what the
   * model sees (its 28 x 28 grey input), for the grid's thumbnails. `ids` as parsed by
   * parseSheetIds; an id not in the project is a not_found error naming it.
   */
  mediaSheet(ids: readonly string[]): Media {
    const p = this.requireProject();
    const px = new Uint8Array(ids.length * PIXELS_PER_IMAGE);
    ids.forEach((id, k) => {
      const i = this.indexOf(p, id);
      px.set(imageAt(p.data.pixels, i), k * PIXELS_PER_IMAGE);
    });
    return { kind: 'bytes', contentType: 'image/png', body: encodeGreyPng(px, IMAGE_SIZE, IMAGE_SIZE * ids.length) };
  }

  async close(): Promise<void> {
    await this.opts.engine.close();
  }
}

/** Held-out percentile; 0 where there is no reference (the contract's numbers are never NaN). */
const pct = (ref: Float32Array, x: number) => percentileOf(ref, x) || 0;

function retrainSummary(
  beforeTable: ScoreTable | null,
  beforeTrain: TrainResult | null,
  table: ScoreTable,
  train: TrainResult,
  p: OpenProject,
): RetrainSummary {
  const flagged = (t: ScoreTable | null, i: number) => (t ? t.flags[i]! !== 0 : false);
  let queueBefore = 0;
  let queueAfter = 0;
  let left = 0;
  let predictedOther = 0;
  const otherIdx = table.classes.indexOf(OTHER_LABEL);
  const markedOther = new Set(
    [...foldJournal(p.journal.entries(), givenLabelsOf(p.data.samples)).samples.entries()]
      .filter(([, d]) => d.label === OTHER_LABEL)
      .map(([id]) => id),
  );
  let correctionsRecognised = 0;
  p.data.samples.forEach((s, i) => {
    const b = flagged(beforeTable, i);
    const a = flagged(table, i);
    if (b) queueBefore++;
    if (a) queueAfter++;
    if (b && !a) left++;
    if (s.split === 'pool' && table.predicted[i] === otherIdx) predictedOther++;
    if (markedOther.has(s.id) && table.predicted[i] === otherIdx) correctionsRecognised++;
  });
  return {
    modelVersion: table.modelVersion,
    heldOutAccuracyBefore: beforeTrain?.heldOutAccuracy ?? null,
    heldOutAccuracyAfter: train.heldOutAccuracy,
    queueBefore,
    queueAfter,
    leftQueue: left,
    predictedOther,
    trainedOnCorrections: correctionsRecognised,
  };
}

async function pathExists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
