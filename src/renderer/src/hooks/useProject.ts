import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProgressEvent, ProjectInfo, Samples } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import { applyJobEvent, type Jobs } from '../jobs/jobs';
import { useLatest } from './useLatest';
import { joinQueue, type QueueView } from '../queue/view';
import { errorMessage } from '../../../shared/api';

export interface ProjectState {
  project: ProjectInfo | null;
  queue: QueueView | null;
  /** Latest progress of opening, training or scoring: what the loading screen shows. */
  progress: ProgressEvent | null;
  /** Latest progress of the background label check while it runs, else null. */
  labelCheck: ProgressEvent | null;
  jobs: Jobs;
  connected: boolean;
  loadError: string | null;
  refresh: () => Promise<void>;
}

/** Follows the project, its queue and its jobs, refetching whenever the main side says the project changed. */
export function useProject(bridge: RendererBridge, onError: (msg: string) => void): ProjectState {
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [queue, setQueue] = useState<QueueView | null>(null);
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [labelCheck, setLabelCheck] = useState<ProgressEvent | null>(null);
  const [jobs, setJobs] = useState<Jobs>(new Map());
  const [connected, setConnected] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** Revision of the queue fetched last (or being fetched): a project whose queueRevision differs needs a fetch. */
  const queueRevision = useRef<string | null>(null);
  const projectIdRef = useRef<string | null>(null);
  /** The samples of the current opening: fetched once per ProjectInfo.openId, reused by every revision. */
  const samples = useRef<Samples | null>(null);
  const onErrorRef = useLatest(onError);

  const fetchSeq = useRef(0);
  const fetchQueue = useCallback(async () => {
    // Two refetches can overlap (status events come in bursts); only the newest may land.
    const seq = ++fetchSeq.current;
    try {
      const q = await bridge.invoke('getQueue', {});
      if (seq !== fetchSeq.current) return;
      if (q && samples.current?.openId !== q.openId) {
        const s = await bridge.invoke('getSamples', {});
        if (seq !== fetchSeq.current) return;
        if (s?.openId !== q.openId) {
          // Another dataset opened between the two calls: its project event fetches again.
          queueRevision.current = null;
          return;
        }
        samples.current = s;
      }
      queueRevision.current = q?.revision ?? null;
      setQueue(q && samples.current ? joinQueue(samples.current, q) : null);
    } catch (err) {
      queueRevision.current = null;
      onErrorRef.current(`Could not load the review queue: ${errorMessage(err)}`);
    }
  }, [bridge, onErrorRef]);

  /**
   * The queue is fetched only when the main side has a new revision (a new model, or the
   * label check's re-ranking), not on every status change; the samples (ids and static
   * columns, most of the bytes) only when a new opening (openId) comes with it.
   */
  const followProject = useCallback(
    (p: ProjectInfo) => {
      if (projectIdRef.current !== p.projectId) {
        projectIdRef.current = p.projectId;
        queueRevision.current = null;
        setQueue(null);
        setLabelCheck(null);
      }
      if (samples.current && samples.current.openId !== p.openId) samples.current = null;
      setProject(p);
      if (p.queueRevision !== null && p.queueRevision !== queueRevision.current) {
        queueRevision.current = p.queueRevision;
        void fetchQueue();
      }
    },
    [fetchQueue],
  );

  const applyProject = useCallback(
    (p: ProjectInfo) => {
      followProject(p);
      setLoadError(null);
    },
    [followProject],
  );
  const failProject = useCallback((err: unknown) => setLoadError(errorMessage(err)), []);

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
      if (e.type !== 'project' && e.type !== 'menu' && e.task === 'labelcheck')
        setLabelCheck(e.type === 'progress' ? e : null);
      // Retrain and export failures show in their own panels; these have no panel, and the
      // project's status message can be replaced by a later status, so they get a notice.
      if (e.type === 'error' && e.task === 'open') onErrorRef.current(`Could not open the dataset: ${e.message}`);
      if (e.type === 'error' && e.task === 'labelcheck') onErrorRef.current(`The label check failed: ${e.message}`);
      if (e.type === 'project') {
        followProject(e.project);
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
  }, [bridge, refresh, followProject, applyProject, failProject, onErrorRef]);

  return { project, queue, progress, labelCheck, jobs, connected, loadError, refresh };
}
