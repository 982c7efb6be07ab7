// Long work (open, train, score, export) runs as one job at a time: a second request while
// one runs is refused with a clear 'conflict' rather than queued behind it invisibly.
import { randomUUID } from 'node:crypto';
import { ApiError, errorMessage, type JobEvent, type ProgressEvent } from '../../shared/api.js';
import type { EngineProgress } from '../engine/engine-types.js';

type Task = ProgressEvent['task'];

const JOB_WORDS: Record<Task, string> = {
  open: 'an open',
  train: 'a training',
  score: 'a scoring',
  export: 'an export',
  labelcheck: 'a label check',
};

export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  progress(p: EngineProgress): void;
}

export class JobRunner {
  private current: { jobId: string; task: Task; controller: AbortController } | null = null;

  constructor(private readonly emit: (event: JobEvent) => void) {}

  get running(): { jobId: string; task: Task } | null {
    return this.current ? { jobId: this.current.jobId, task: this.current.task } : null;
  }

  /** Starts `work` in the background and returns its job id at once. */
  start<T>(task: Task, work: (ctx: JobContext) => Promise<T>): string {
    if (this.current) {
      throw new ApiError(
        'conflict',
        `busy: ${JOB_WORDS[this.current.task]} is running; cancel it or wait for it to finish`,
      );
    }
    const jobId = randomUUID();
    const controller = new AbortController();
    this.current = { jobId, task, controller };
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress: (p) => this.emit({ type: 'progress', jobId, ...p }),
    };
    void work(ctx).then(
      (result) => {
        this.current = null;
        if (controller.signal.aborted) this.emit({ type: 'cancelled', jobId, task });
        else this.emit({ type: 'done', jobId, task, result });
      },
      (err: unknown) => {
        this.current = null;
        if (controller.signal.aborted) this.emit({ type: 'cancelled', jobId, task });
        else this.emit({ type: 'error', jobId, task, message: errorMessage(err) });
      },
    );
    return jobId;
  }

  cancel(jobId: string): boolean {
    if (!this.current || this.current.jobId !== jobId) return false;
    this.current.controller.abort();
    return true;
  }
}
