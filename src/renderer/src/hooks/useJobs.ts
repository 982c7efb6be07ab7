import { useCallback, useEffect, useState } from 'react';
import { errorMessage, type ProjectInfo } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import type { Jobs } from '../jobs/jobs';
import type { JournalState } from './useJournal';

export interface JobRef {
  jobId: string | null;
  error: string | null;
}

export interface JobsInput {
  bridge: RendererBridge;
  project: ProjectInfo | null;
  jobs: Jobs;
  journal: JournalState;
  refresh: () => Promise<void>;
  onError: (message: string) => void;
}

/** The retrain and export jobs this window started: starting, following, cancelling them. */
export function useJobs({ bridge, project, jobs, journal, refresh, onError }: JobsInput) {
  const [retrain, setRetrain] = useState<JobRef | null>(null);
  const [exportJob, setExportJob] = useState<JobRef>({ jobId: null, error: null });

  const retrainJob = retrain?.jobId ? jobs.get(retrain.jobId) : undefined;
  const exportState = exportJob.jobId ? jobs.get(exportJob.jobId) : undefined;
  const retrainRunning = !!retrain && !retrain.error && (!retrainJob || retrainJob.status === 'running');
  const exportRunning =
    !!exportJob.jobId &&
    exportState?.status !== 'done' &&
    exportState?.status !== 'error' &&
    exportState?.status !== 'cancelled';
  const busy = retrainRunning || exportRunning;

  /** Retrain and export read the main side's journal, so every decision must be there first. */
  const ensureSynced = useCallback(
    async (what: string) => {
      const left = await journal.flush();
      if (left > 0) {
        onError(
          `${left} decisions are saved in this browser but not yet on the main side; ${what} would miss them. It will retry when the connection is back.`,
        );
        return false;
      }
      return true;
    },
    [journal, onError],
  );

  const startRetrain = useCallback(async () => {
    if (busy || project?.status !== 'ready') return;
    if (!(await ensureSynced('retraining'))) return;
    setRetrain({ jobId: null, error: null });
    try {
      const { jobId } = await bridge.invoke('retrain', {});
      setRetrain({ jobId, error: null });
    } catch (err) {
      setRetrain({
        jobId: null,
        error: `Retrain failed to start: ${errorMessage(err)}`,
      });
    }
  }, [bridge, busy, project?.status, ensureSynced]);

  const retrainStatus = retrainJob?.status;
  useEffect(() => {
    // The new model re-ranked the queue: fetch it (the project event usually does too; this is the safety net).
    if (retrainStatus === 'done') void refresh();
  }, [retrainStatus, refresh]);

  const retrainId = retrain?.jobId ?? null;
  const cancelRetrain = useCallback(() => {
    if (retrainId)
      bridge
        .invoke('cancelJob', { jobId: retrainId })
        .catch((err: unknown) => onError(`Cancel failed: ${String(err)}`));
  }, [bridge, retrainId, onError]);

  const closeRetrain = useCallback(() => setRetrain(null), []);

  const startExport = useCallback(
    async (dir: string) => {
      if (!(await ensureSynced('the export'))) return;
      setExportJob({ jobId: null, error: null });
      try {
        const { jobId } = await bridge.invoke('exportDataset', { dir });
        setExportJob({ jobId, error: null });
      } catch (err) {
        setExportJob({ jobId: null, error: errorMessage(err) });
      }
    },
    [bridge, ensureSynced],
  );

  return { retrain, retrainJob, exportJob, exportState, busy, startRetrain, cancelRetrain, closeRetrain, startExport };
}

export type JobsState = ReturnType<typeof useJobs>;
