import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProgressEvent, ProjectInfo, Queue } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import { applyJobEvent, type Jobs } from '../jobs/jobs';
import { useLatest } from './useLatest';

export interface ProjectState {
  project: ProjectInfo | null;
  queue: Queue | null;
  /** Latest progress of opening, training or scoring: what the loading screen shows. */
  progress: ProgressEvent | null;
  jobs: Jobs;
  connected: boolean;
  loadError: string | null;
  refresh: () => Promise<void>;
}

/** Follows the project, its queue and its jobs, refetching whenever the main side says the project changed. */
export function useProject(bridge: RendererBridge, onError: (msg: string) => void): ProjectState {
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [queue, setQueue] = useState<Queue | null>(null);
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [jobs, setJobs] = useState<Jobs>(new Map());
  const [connected, setConnected] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const queueVersion = useRef<string | null>(null);
  const projectIdRef = useRef<string | null>(null);
  const onErrorRef = useLatest(onError);

  const fetchSeq = useRef(0);
  const fetchQueue = useCallback(async () => {
    // Two refetches can overlap (status events come in bursts); only the newest may land.
    const seq = ++fetchSeq.current;
    try {
      const q = await bridge.invoke('getQueue', {});
      if (seq !== fetchSeq.current) return;
      queueVersion.current = q?.modelVersion ?? null;
      setQueue(q);
    } catch (err) {
      onErrorRef.current(`Could not load the review queue: ${msg(err)}`);
    }
  }, [bridge, onErrorRef]);

  const applyProject = useCallback(
    (p: ProjectInfo) => {
      if (projectIdRef.current !== p.projectId) {
        projectIdRef.current = p.projectId;
        queueVersion.current = null;
        setQueue(null);
      }
      setProject(p);
      setLoadError(null);
      if (p.status === 'ready' || (p.modelVersion && p.modelVersion !== queueVersion.current)) return fetchQueue();
    },
    [fetchQueue],
  );
  const failProject = useCallback((err: unknown) => setLoadError(msg(err)), []);

  const refresh = useCallback(
    () =>
      bridge
        .invoke('getProject', {})
        .then(applyProject, failProject)
        .then(() => undefined),
    [bridge, applyProject, failProject],
  );

  useEffect(() => {
    const offEvent = bridge.onEvent((e) => {
      setJobs((j) => applyJobEvent(j, e));
      if (e.type === 'progress' && (e.task === 'open' || e.task === 'train' || e.task === 'score')) setProgress(e);
      // Retrain and export failures show in their own panels; these have no panel, and the
      // project's status message can be replaced by a later status, so they get a notice.
      if (e.type === 'error' && e.task === 'open') onErrorRef.current(`Could not open the dataset: ${e.message}`);
      if (e.type === 'error' && e.task === 'labelcheck') onErrorRef.current(`The label check failed: ${e.message}`);
      if (e.type === 'project') {
        if (projectIdRef.current !== e.project.projectId) {
          projectIdRef.current = e.project.projectId;
          queueVersion.current = null;
          setQueue(null);
        }
        setProject(e.project);
        // The queue can change without a new model (the label check re-scores and re-ranks),
        // and the contract has no queue revision, so every return to 'ready' refetches it.
        if (e.project.status === 'ready') void fetchQueue();
        if (e.project.status === 'ready') setProgress(null);
      }
    });
    const offConn = bridge.onConnection((up) => {
      setConnected(up);
      // Anything may have happened while we were away (a restart, a new port): resync.
      if (up) void refresh();
    });
    bridge.invoke('getProject', {}).then(applyProject, failProject);
    return () => {
      offEvent();
      offConn();
    };
  }, [bridge, refresh, fetchQueue, applyProject, failProject, onErrorRef]);

  return { project, queue, progress, jobs, connected, loadError, refresh };
}

function msg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
