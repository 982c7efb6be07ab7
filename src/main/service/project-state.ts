// The service's state: the open project (samples, the current ScoreTable, the decision
// journal), its status, and the events that tell the transports when any of it changed.
// The lifecycle (project-lifecycle.ts) changes it; the read models only read it.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  ApiError,
  assignableLabels,
  type DatasetSpec,
  type JobEvent,
  type ProjectInfo,
  type Queue,
  type Samples,
} from '../../shared/api.js';
import type { EngineSample, OpenResult, ScoreTable, TrainResult, UsedModel } from '../engine/engine-types.js';
import { itemAt } from '../../shared/checked-index.js';
import type { Journal } from '../engine/review/journal.js';
import { foldJournal, givenLabelsOf, trainingLabels, type JournalFold } from '../../shared/journal-fold.js';
import { buildQueue } from './queue.js';
import { exportSuggestion, projectName } from './project-name.js';
import { describeRecipe } from '../../shared/recipe.js';
import { EtaEstimator } from '../engine/progress-eta.js';

export type ProjectSpec = DatasetSpec & { demo: boolean };

export interface OpenProject {
  /** The datasets (the project's identity), and how they are scored (open-spec.ts). */
  spec: ProjectSpec;
  /** The user's model or predictions once they scored: the recipe replaces the opened one. */
  used: UsedModel | null;
  dir: string;
  journal: Journal;
  data: OpenResult;
  index: Map<string, number>;
  train: TrainResult | null;
  table: ScoreTable | null;
  /** The samples as getSamples sends them; fixed for this opening (samples.openId). */
  samples: Samples;
  queue: Queue | null;
  /** Sample counts by split, and of copies: the samples never change while the project is open. */
  counts: { train: number; pool: number; duplicates: number; labelConflicts: number };
  /** FileFlag bits of every sample (copies, label conflict), joined into each queue's flags. */
  fileFlags: Uint8Array;
  /** What the user should know about this project's files (a torn journal line, ...). */
  warnings: string[];
}

export class ProjectState {
  readonly events = new EventEmitter();
  project: OpenProject | null = null;
  /** The spec being opened, shown until it has opened (or failed). */
  pendingSpec: ProjectSpec | null = null;
  backendInfo: ProjectInfo['backend'] | null = null;
  private status: ProjectInfo['status'] = 'empty';
  private statusMessage: string | null = null;

  /** Queue revisions are unique across launches: a renderer that outlives a restart must refetch. */
  private readonly launchId = randomUUID().slice(0, 8);
  private queueBuilds = 0;
  private opens = 0;

  private readonly eta = new EtaEstimator();

  emit(e: JobEvent): void {
    if (e.type === 'progress') e = this.eta.fill(e.jobId, e);
    else if (e.type === 'done' || e.type === 'error' || e.type === 'cancelled') this.eta.end(e.jobId);
    this.events.emit('event', e);
  }

  setStatus(status: ProjectInfo['status'], message: string | null = null): void {
    this.status = status;
    this.statusMessage = message;
    this.emit({ type: 'project', project: this.projectInfo() });
  }

  /** A new score table re-ranks the queue; the new revision tells the renderer to fetch it. */
  setTable(p: OpenProject, table: ScoreTable): void {
    const revision = `${this.launchId}-${++this.queueBuilds}`;
    // buildQueue checks the table's shape first: a table that fails is never shown.
    p.queue = buildQueue(table, p.data.samples.length, p.samples.openId, revision, p.fileFlags);
    p.table = table;
  }

  /** The id of a new opening (samples.openId), unique across launches like the revisions. */
  nextOpenId(): string {
    return `${this.launchId}-open${++this.opens}`;
  }

  requireProject(): OpenProject {
    if (!this.project) throw new ApiError('conflict', 'no dataset is open yet');
    return this.project;
  }

  requireTable(): { p: OpenProject; t: ScoreTable } {
    const p = this.requireProject();
    if (!p.table) throw new ApiError('conflict', 'the model has not scored the samples yet');
    return { p, t: p.table };
  }

  projectInfo(): ProjectInfo {
    const p = this.project;
    const spec = p?.spec ?? this.pendingSpec ?? { demo: true };
    const classes = p?.table?.classes ?? p?.data.classes ?? [];
    const known = p?.data.classes ?? [];
    return {
      projectId: p ? path.basename(p.dir) : '',
      name: projectName(spec),
      exportDir: exportSuggestion(spec),
      dir: p?.dir ?? '',
      dataset: spec,
      classes,
      labels: assignableLabels(known),
      modelVersion: p?.table?.modelVersion ?? null,
      counts: {
        train: p?.counts.train ?? 0,
        pool: p?.counts.pool ?? 0,
        duplicates: p?.counts.duplicates ?? 0,
        labelConflicts: p?.counts.labelConflicts ?? 0,
      },
      status: this.status,
      statusMessage: this.statusMessage,
      thresholds: p?.table?.thresholds ?? null,
      backend: this.backendInfo ?? { backend: 'unknown', libtensorflow: 'unknown', tfjsNode: 'unknown' },
      heldOutAccuracy: p?.train?.heldOutAccuracy ?? null,
      heldOutSamples: p?.table?.heldOutIndices.length ?? null,
      queueRevision: p?.queue?.revision ?? null,
      openId: p?.samples.openId ?? null,
      warnings: p?.warnings.slice() ?? [],
      ...(p && {
        image: { ...p.data.shape },
        model: p.used
          ? {
              arch: 'backbone',
              own: p.spec.predProbs ? 'predictions' : 'model',
              reason: `${p.spec.predProbs ? `Your predictions ${p.spec.predProbs}` : `Your model ${p.spec.model}`} (${p.used.notes.join('; ')})`,
              recipe: describeRecipe(p.used.recipe),
            }
          : {
              arch: p.data.family.arch,
              reason: p.data.backboneNotes
                ? `${p.data.family.reason}; ${p.spec.backbone ? `backbone ${p.spec.backbone}` : 'backbone'}: ${p.data.backboneNotes.join('; ')}`
                : p.data.family.reason,
              recipe: describeRecipe(p.data.recipe),
            },
      }),
    };
  }
}

export function indexOf(p: OpenProject, id: string): number {
  const i = p.index.get(id);
  if (i === undefined) throw new ApiError('not_found', `no sample with id ${JSON.stringify(id)} in this project`);
  return i;
}

/** The sample with this id and its index; a not_found error when the project has none. */
export function sampleOf(p: OpenProject, id: string): { i: number; sample: EngineSample } {
  const i = indexOf(p, id);
  return { i, sample: itemAt(p.data.samples, i, 'project samples') };
}

/** The journal folded over the given labels: each sample's current decision. */
export function foldProject(p: OpenProject): JournalFold {
  return foldJournal(p.journal.entries(), givenLabelsOf(p.data.samples));
}

/** What the model trains on and the label check judges (trainingLabels), from the journal as it is now. */
export function trainingLabelsOf(p: OpenProject): (string | null)[] {
  return trainingLabels(p.data.samples, foldProject(p), new Set(assignableLabels(p.data.classes)));
}
