import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProgressEvent, ProjectInfo, Queue } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import { applyJobEvent, type Jobs } from '../jobs/jobs';

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
  const onErrorRef = useRef(onError);
  useEffect(() => {
    onErrorRef.current = onError;
  });

  const fetchQueue = useCallback(async () => {
    try {
      const q = await bridge.invoke('getQueue', {});
      queueVersion.current = q?.modelVersion ?? null;
      setQueue(q);
    } catch (err) {
      onErrorRef.current(`Could not load the review queue: ${msg(err)}`);
    }
  }, [bridge]);

  const refresh = useCallback(async () => {
    try {
      const p = await bridge.invoke('getProject', {});
      if (projectIdRef.current !== p.projectId) {
        projectIdRef.current = p.projectId;
        queueVersion.current = null;
        setQueue(null);
      }
      setProject(p);
      setLoadError(null);
      if (p.status === 'ready' || (p.modelVersion && p.modelVersion !== queueVersion.current)) await fetchQueue();
    } catch (err) {
      setLoadError(msg(err));
    }
  }, [bridge, fetchQueue]);

  useEffect(() => {
    const offEvent = bridge.onEvent((e) => {
      setJobs((j) => applyJobEvent(j, e));
      if (e.type === 'progress' && (e.task === 'open' || e.task === 'train' || e.task === 'score')) setProgress(e);
      if (e.type === 'project') {
        if (projectIdRef.current !== e.project.projectId) {
          projectIdRef.current = e.project.projectId;
          queueVersion.current = null;
          setQueue(null);
        }
        setProject(e.project);
        if (e.project.status === 'ready' && e.project.modelVersion !== queueVersion.current) void fetchQueue();
        if (e.project.status === 'ready') setProgress(null);
      }
    });
    const offConn = bridge.onConnection((up) => {
      setConnected(up);
      // Anything may have happened while we were away (a restart, a new port): resync.
      if (up) void refresh();
    });
    void refresh();
    return () => {
      offEvent();
      offConn();
    };
  }, [bridge, refresh, fetchQueue]);

  return { project, queue, progress, jobs, connected, loadError, refresh };
}

function msg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
