// The project's lifecycle, as jobs: open a dataset (train and score it), retrain on the
// journal's labels, export. Each cancels the background label check and restarts it when
// the engine is free again.
import path from 'node:path';
import { errorMessage, type DatasetSpec } from '../../shared/api.js';
import { exportDataset } from '../engine/export/export-dataset.js';
import { exportDestination } from '../engine/export/export-target.js';
import { discardNewProject, openProject, touchRecent } from '../engine/project/projects.js';
import { openJournal } from '../engine/review/journal.js';
import { finalLabels } from '../../shared/journal-fold.js';
import { JobRunner } from './jobs.js';
import { poolOnlyLabelsNotice, SKIPPED_REPORT, skippedFilesNotice } from './open-notices.js';
import { BackgroundLabelCheck } from './label-check.js';
import { foldProject, type OpenProject } from './project-state.js';
import { assertPathsExist, openSpecOf } from './open-spec.js';
import { retrainSummary } from './retrain-summary.js';
import { buildSamples, copyCountsOf, fileFlagsOf } from './queue.js';
import { completeScores, trainAndScore, type Scoring } from './scoring.js';

export class ProjectLifecycle {
  readonly jobs: JobRunner;
  private readonly labelCheck: BackgroundLabelCheck;

  constructor(private readonly scoring: Scoring) {
    this.jobs = new JobRunner((e) => scoring.state.emit(e));
    this.labelCheck = new BackgroundLabelCheck(scoring, this.jobs);
  }

  async open(params: DatasetSpec & { demo?: boolean }): Promise<string> {
    const { state, engine, seed } = this.scoring;
    const spec = openSpecOf(params);
    await assertPathsExist(spec);
    const { arch, model, predProbs, backbone, backboneSha256 } = spec;
    const project = await openProject(spec);
    const dir = project.dir;
    this.labelCheck.cancel();
    return this.jobs.start('open', async (ctx) => {
      const previous = state.project;
      state.pendingSpec = spec;
      state.setStatus('loading');
      try {
        const data = await engine.open(
          // A user's model or predictions give the rows: the shipped backbone's would be waste.
          {
            train: spec.train,
            pool: spec.pool,
            projectDir: dir,
            seed,
            ...(arch ? { arch } : {}),
            extract: !model && !predProbs,
            ...(backbone
              ? { backbone: { spec: backbone, ...(backboneSha256 ? { sha256: backboneSha256 } : {}) } }
              : {}),
          },
          ctx.progress,
        );
        const warnings: string[] = [];
        const skipped = await skippedFilesNotice(data.skipped ?? [], path.join(dir, SKIPPED_REPORT));
        if (skipped) warnings.push(skipped);
        const poolOnly = poolOnlyLabelsNotice(data);
        if (poolOnly) warnings.push(poolOnly);
        let opened = false;
        const journal = openJournal(dir, {
          warn: (m) => {
            console.warn(m);
            // Kept for the app's notices; the first few are enough to say what happened.
            if (warnings.length < 20) warnings.push(m);
            if (opened && state.project === p) state.emit({ type: 'project', project: state.projectInfo() });
          },
        });
        const p: OpenProject = {
          spec,
          dir,
          journal,
          data,
          index: new Map(data.samples.map((s, i) => [s.id, i])),
          samples: buildSamples(data, state.nextOpenId()),
          train: null,
          used: null,
          table: null,
          queue: null,
          counts: {
            train: data.samples.filter((s) => s.split === 'train').length,
            pool: data.samples.filter((s) => s.split === 'pool').length,
            ...copyCountsOf(data),
          },
          fileFlags: fileFlagsOf(data),
          warnings,
        };
        state.project = p;
        opened = true;
        await touchRecent({ projectId: path.basename(dir), name: state.projectInfo().name, dataset: spec });
        const { train, table } = await trainAndScore(this.scoring, p, ctx, undefined, true);
        p.train = train;
        state.setTable(p, table);
        state.setStatus('ready');
        this.labelCheck.run(p);
        return state.projectInfo();
      } catch (err) {
        const message = errorMessage(err);
        if (state.project === previous) await discardNewProject(project);
        if (state.project === previous && previous?.table) {
          // The engine replaces its state only when a dataset opened, so the previous
          // project is still whole: keep working on it and say what failed.
          state.pendingSpec = null;
          state.setStatus('ready', `could not open the dataset: ${message}`);
        } else {
          state.setStatus('error', message);
        }
        throw err;
      }
    });
  }

  retrain(epochs?: number): string {
    const { state } = this.scoring;
    const p = state.requireProject();
    // A retrain that fails or is cancelled keeps the previous model: its check carries on.
    const resumeCheck = this.labelCheck.active;
    this.labelCheck.cancel();
    return this.jobs.start('train', async (ctx) => {
      // The before/after summary compares whole tables.
      await completeScores(this.scoring, p);
      const before = { table: p.table, train: p.train, queue: p.queue };
      try {
        const { train, table } = await trainAndScore(this.scoring, p, ctx, epochs);
        p.train = train;
        state.setTable(p, table);
        state.setStatus('ready');
        this.labelCheck.run(p);
        return retrainSummary(before.table, before.train, table, train, p);
      } catch (err) {
        // The previous model stays in place (the engine keeps it on failure or cancel).
        Object.assign(p, before);
        state.setStatus(
          'ready',
          ctx.signal.aborted
            ? 'retraining cancelled; the previous model is kept'
            : `retraining failed: ${errorMessage(err)}`,
        );
        if (resumeCheck && state.project === p) this.labelCheck.run(p);
        throw err;
      }
    });
  }

  export(dir: string): string {
    const { state, engine } = this.scoring;
    const p = state.requireProject();
    // Absolute, outside the datasets, not someone else's folder: refused before any work.
    const dest = exportDestination(dir, p.data.roots);
    // Saving the model needs the engine, which must not wait behind a background check;
    // the check starts again once the export is written.
    const resumeCheck = this.labelCheck.active;
    this.labelCheck.cancel();
    return this.jobs.start('export', async (ctx) => {
      // An export carries every sample's scores: finish a first pass's pending ones.
      await completeScores(this.scoring, p);
      const folded = foldProject(p);
      const summary = await exportDataset({
        dest,
        samples: p.data.samples,
        pixels: p.data.pixels,
        shape: p.data.shape,
        decisions: folded.samples,
        labels: finalLabels(p.data.samples, folded),
        copies: p.data.copies,
        table: p.table ?? undefined,
        sourceRoots: p.data.roots,
        sourceKind: p.spec.demo ? 'demo' : undefined,
        // The user's own model stays where it is; a head retrained on its features is exported.
        saveModel: p.table && p.train?.source !== 'user' ? (d: string) => engine.saveModel(d) : undefined,
        onProgress: (done: number, total: number) =>
          ctx.progress({
            task: 'export',
            phase: 'writing',
            fraction: total ? done / total : 1,
            message: `${done} / ${total} files`,
          }),
      }).finally(() => {
        if (resumeCheck && state.project === p) this.labelCheck.run(p);
      });
      return summary;
    });
  }
}
