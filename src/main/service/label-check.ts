// The background label check that follows every ranking.
import { errorMessage } from '../../shared/api.js';
import type { JobRunner } from './jobs.js';
import { trainingLabelsOf, type OpenProject } from './project-state.js';
import { completeScores, type Scoring } from './scoring.js';
import type { EngineProgress } from '../engine/engine-types.js';

/**
 * Out-of-fold label checks take about as long as a training, so they run in the
 * background after the first ranking and join the queue when ready. Any job the user
 * starts (retrain, open, export) cancels them: the engine runs one thing at a time, and
 * the user's request must not wait behind a background check.
 */
/** The share of the check's progress bar that scoring the training samples takes, when it must. */
const SCORING_SHARE = 0.3;

export class BackgroundLabelCheck {
  private controller: AbortController | null = null;

  constructor(
    private readonly scoring: Scoring,
    private readonly jobs: JobRunner,
  ) {}

  /** Whether a check is under way (a job that cancels it may want to resume it). */
  get active(): boolean {
    return this.controller !== null;
  }

  run(p: OpenProject): void {
    const { state, engine } = this.scoring;
    const controller = new AbortController();
    this.controller = controller;
    const stale = () => controller.signal.aborted || state.project !== p || this.jobs.running !== null;
    // The renderer shows the check as running until it hears how it ended, stopped early included.
    let ended = false;
    void (async () => {
      try {
        // The label-error tab shows the check as running from here: the training samples'
        // label doubts join the queue only with their scores.
        const report = (x: EngineProgress, from: number, to: number) =>
          state.emit({
            type: 'progress',
            jobId: 'labelcheck',
            ...x,
            task: 'labelcheck',
            fraction: from + (to - from) * x.fraction,
          });
        const scoring = p.table?.scored ? SCORING_SHARE : 0;
        if (scoring > 0) {
          // The training samples' scores first: they join the queue in seconds, the label
          // check takes as long as a training.
          await completeScores(this.scoring, p, (x) => report(x, 0, scoring));
          if (stale()) return;
          state.setStatus('ready');
        }
        const labels = trainingLabelsOf(p);
        await engine.labelCheck(labels, (x) => report(x, scoring, 1), controller.signal);
        if (stale()) return;
        const table = await engine.score(() => {});
        if (stale()) return;
        state.setTable(p, table);
        state.emit({ type: 'done', jobId: 'labelcheck', task: 'labelcheck', result: null });
        ended = true;
        state.setStatus('ready');
      } catch (err) {
        if (!controller.signal.aborted && state.project === p) {
          state.emit({ type: 'error', jobId: 'labelcheck', task: 'labelcheck', message: errorMessage(err) });
          ended = true;
        }
      } finally {
        if (!ended) state.emit({ type: 'cancelled', jobId: 'labelcheck', task: 'labelcheck' });
        if (this.controller === controller) this.controller = null;
      }
    })();
  }

  cancel(): void {
    this.controller?.abort();
    this.controller = null;
  }
}
