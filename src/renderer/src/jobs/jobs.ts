// Job events can arrive before the call that started the job has returned its id, so
// every job's latest state is kept by id and a panel looks its job up once it knows it.
import type { JobEvent, ProgressEvent } from '../../../shared/api.js';

export type JobTask = ProgressEvent['task'];

export interface JobState {
  jobId: string;
  task: JobTask;
  progress: ProgressEvent | null;
  status: 'running' | 'done' | 'error' | 'cancelled';
  result?: unknown;
  error?: string;
}

export type Jobs = ReadonlyMap<string, JobState>;

/** Applies one event; returns the same map when the event is not about a job. */
export function applyJobEvent(jobs: Jobs, e: JobEvent): Jobs {
  if (e.type === 'project' || e.type === 'menu') return jobs;
  const prev = jobs.get(e.jobId);
  const base: JobState = prev ?? { jobId: e.jobId, task: e.task, progress: null, status: 'running' };
  let next: JobState;
  switch (e.type) {
    case 'progress':
      // A late progress event must not reopen a finished job.
      if (base.status !== 'running') return jobs;
      next = { ...base, task: e.task, progress: e };
      break;
    case 'done':
      next = { ...base, status: 'done', result: e.result };
      break;
    case 'error':
      next = { ...base, status: 'error', error: e.message };
      break;
    case 'cancelled':
      next = { ...base, status: 'cancelled' };
      break;
  }
  const out = new Map(jobs);
  out.set(e.jobId, next);
  // Keep memory bounded over a long session.
  if (out.size > 50) out.delete(out.keys().next().value as string);
  return out;
}
