import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { getBridge } from './bridge';
import { decisionEntries, undoEntry, type Decision, type DecisionTarget } from './journal/decide';
import { lastUndoableBatch } from '../../shared/journal-fold';
import { givenLabelsOfQueue } from './journal/given-labels';
import { newId } from './journal/ids';
import { JournalStore } from './journal/store';
import { assignClassKeys, commandForKey, type Command } from './keys/keymap';
import { moveIndex } from './grid/windowing';
import { DEFAULT_FILTER, doubtCounts, filterRows, type QueueFilter } from './queue/filter';
import { loadReviewer, saveReviewer } from './preferences';
import { useProject } from './hooks/useProject';
import { useJournal } from './hooks/useJournal';
import { useSample } from './hooks/useSample';
import { useLatest } from './hooks/useLatest';
import { TopBar } from './components/TopBar';
import { SessionBar } from './components/SessionBar';
import { FilterBar } from './components/FilterBar';
import { QueueGrid } from './components/QueueGrid';
import { DetailPanel } from './components/DetailPanel';
import { DecisionBar } from './components/DecisionBar';
import { LoadingScreen } from './components/LoadingScreen';
import { OpenDatasetForm } from './components/OpenDatasetForm';
import { useFolderDrop } from './hooks/useFolderDrop';
import { RetrainPanel } from './components/RetrainPanel';
import { ExportDialog } from './components/ExportDialog';
import { InsightsDialog } from './components/InsightsDialog';
import { HelpOverlay } from './components/HelpOverlay';
import { PreferencesDialog } from './components/PreferencesDialog';
import { Dialog } from './components/Dialog';
import { Notices, type Notice } from './components/Notices';
import { useProjectWarnings } from './hooks/useProjectWarnings';
import { errorMessage } from '../../shared/api';

const bridge = getBridge();
const store = new JournalStore();
const EMPTY_ROWS = new Int32Array(0);

type DialogName = 'open' | 'export' | 'insights' | 'help' | 'prefs' | null;
interface JobRef {
  jobId: string | null;
  error: string | null;
}

export function App() {
  const [notices, setNotices] = useState<Notice[]>([]);
  const noticeId = useRef(0);
  const notify = useCallback((kind: Notice['kind'], text: string) => {
    const id = ++noticeId.current;
    setNotices((n) => [...n.filter((x) => x.text !== text).slice(-4), { id, kind, text }]);
    if (kind === 'info') setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), 4000);
  }, []);
  const onError = useCallback((m: string) => notify('error', m), [notify]);

  const [reviewer, setReviewer] = useState(loadReviewer);
  const [since] = useState(() => new Date().toISOString());
  const { project, queue, progress, jobs, connected, loadError, refresh } = useProject(bridge, onError);
  useFolderDrop(bridge, refresh, onError);
  useProjectWarnings(project, onError);
  const projectId = project?.projectId ?? null;
  // Keep yields the given label, so the fold needs the given labels the queue carries.
  const given = useMemo(() => givenLabelsOfQueue(queue, project?.labels ?? []), [queue, project?.labels]);
  const journal = useJournal(bridge, store, projectId, given, onError);

  const [filter, setFilter] = useState<QueueFilter>(DEFAULT_FILTER);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [columns, setColumns] = useState(1);
  const [dialog, setDialog] = useState<DialogName>(null);
  const [retrain, setRetrain] = useState<JobRef | null>(null);
  const [exportJob, setExportJob] = useState<JobRef>({ jobId: null, error: null });
  const deciding = useRef(false);

  // A different project starts from a clean view (reset while rendering, as React advises
  // for state derived from a prop, instead of an effect that would render twice).
  const [viewOf, setViewOf] = useState(projectId);
  if (viewOf !== projectId) {
    setViewOf(projectId);
    setFilter(DEFAULT_FILTER);
    setCurrentId(null);
    setSelected(new Set());
    setAnchor(null);
  }

  const idToRow = useMemo(() => {
    const m = new Map<string, number>();
    if (queue) queue.ids.forEach((id, i) => m.set(id, i));
    return m;
  }, [queue]);

  const decided = useMemo(() => {
    const d = new Uint8Array(queue?.ids.length ?? 0);
    for (const [id, s] of journal.fold.samples) {
      if (!s.decided) continue;
      const r = idToRow.get(id);
      if (r !== undefined) d[r] = 1;
    }
    return d;
  }, [queue, idToRow, journal.fold]);

  const rows = useMemo(() => (queue ? filterRows(queue, decided, filter) : EMPTY_ROWS), [queue, decided, filter]);
  const counts = useMemo(() => doubtCounts(queue?.flags ?? []), [queue]);
  const classKeys = useMemo(() => assignClassKeys(project?.labels ?? []), [project?.labels]);

  // The current sample is kept by id so it survives re-ranking and filter changes.
  const currentRow = currentId !== null ? idToRow.get(currentId) : undefined;
  const foundPos = currentRow !== undefined ? rows.indexOf(currentRow) : -1;
  const currentPos = foundPos >= 0 ? foundPos : rows.length > 0 ? 0 : -1;
  const effectiveId = queue && currentPos >= 0 ? queue.ids[rows[currentPos]] : null;

  const idAt = useCallback(
    (pos: number) => (queue && pos >= 0 && pos < rows.length ? queue.ids[rows[pos]] : null),
    [queue, rows],
  );

  // A decision moves to the next sample in the queue: fetch its detail (and the one after,
  // for a fast reviewer) ahead of the key press.
  const ahead = useMemo(
    () => [idAt(currentPos + 1), idAt(currentPos + 2)].filter((x): x is string => x !== null),
    [idAt, currentPos],
  );
  const { detail: freshDetail, error: detailError } = useSample(
    bridge,
    effectiveId,
    queue?.modelVersion ?? null,
    ahead,
  );
  // The image is what the reviewer decides on, so the frame right after a key press paints
  // it alone; the detail (tables, neighbours: a far larger area to lay out and paint) comes
  // in a deferred render. Painted together, they made the image wait ~20 ms longer.
  const deferredDetail = useDeferredValue(freshDetail);
  const detail = deferredDetail && deferredDetail.id === effectiveId ? deferredDetail : null;

  const rangeSet = useCallback(
    (a: number, b: number) => {
      const s = new Set<string>();
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
        const id = idAt(i);
        if (id) s.add(id);
      }
      return s;
    },
    [idAt],
  );

  const onPick = useCallback(
    (id: string, pos: number, mods: { shift: boolean; toggle: boolean }) => {
      if (mods.shift) {
        setSelected(rangeSet(anchor ?? currentPos, pos));
      } else if (mods.toggle) {
        setSelected((prev) => {
          const s = new Set(prev);
          if (s.size === 0 && effectiveId) s.add(effectiveId);
          if (s.has(id)) s.delete(id);
          else s.add(id);
          return s;
        });
        setAnchor(pos);
      } else {
        setSelected(new Set());
        setAnchor(pos);
      }
      setCurrentId(id);
    },
    [anchor, currentPos, effectiveId, rangeSet],
  );

  // The grid gets a handler that never changes, so a decision (which changes the anchor and
  // the current sample) does not re-render every visible tile, only the ones it changes.
  const onPickRef = useLatest(onPick);
  const stableOnPick = useCallback(
    (id: string, pos: number, mods: { shift: boolean; toggle: boolean }) => onPickRef.current(id, pos, mods),
    [onPickRef],
  );

  const targetIds = useCallback((): string[] => {
    if (selected.size > 1) return [...selected];
    return effectiveId ? [effectiveId] : [];
  }, [selected, effectiveId]);

  const nextAfter = useCallback(
    (exclude: ReadonlySet<string>): string | null => {
      for (let i = currentPos + 1; i < rows.length; i++) {
        const id = idAt(i);
        if (id && !exclude.has(id)) return id;
      }
      for (let i = currentPos - 1; i >= 0; i--) {
        const id = idAt(i);
        if (id && !exclude.has(id)) return id;
      }
      return null;
    },
    [currentPos, rows, idAt],
  );

  const decide = useCallback(
    async (d: Decision) => {
      if (!queue || !project || deciding.current) return;
      const ids = targetIds();
      if (ids.length === 0) return;
      const targets: DecisionTarget[] = [];
      for (const id of ids) {
        const row = idToRow.get(id);
        if (row === undefined) continue;
        const g = queue.given[row];
        const s = journal.fold.samples.get(id);
        targets.push({
          sampleId: id,
          given: g >= 0 ? (project.labels[g] ?? null) : null,
          predicted: project.classes[queue.predicted[row]],
          current: s?.decided ? s.label : null,
        });
      }
      const entries = decisionEntries(d, targets, {
        batchId: newId(),
        at: new Date().toISOString(),
        reviewer: reviewer.trim() || 'anonymous',
        newId,
      });
      if (entries.length === 0) {
        notify('info', 'Keep needs a given label, and this sample has none: accept the prediction or relabel it.');
        return;
      }
      const next = nextAfter(new Set(ids));
      deciding.current = true;
      try {
        // The decision is in IndexedDB before the view moves on: a crash right after loses nothing.
        await journal.append(entries);
      } catch (err) {
        onError(`Could not save the decision in this browser: ${errorMessage(err)}`);
        return;
      } finally {
        deciding.current = false;
      }
      setSelected(new Set());
      if (next) {
        setCurrentId(next);
        setAnchor(null);
      }
    },
    [queue, project, targetIds, idToRow, journal, reviewer, nextAfter, notify, onError],
  );

  const undo = useCallback(async () => {
    const batch = lastUndoableBatch(journal.fold);
    if (!batch) {
      notify('info', 'Nothing to undo.');
      return;
    }
    const ids = journal.entries
      .filter((e) => e.kind === 'decision' && e.batchId === batch)
      .map((e) => (e.kind === 'decision' ? e.sampleId : ''));
    try {
      await journal.append([
        undoEntry(batch, { at: new Date().toISOString(), reviewer: reviewer.trim() || 'anonymous', newId }),
      ]);
    } catch (err) {
      onError(`Could not save the undo in this browser: ${errorMessage(err)}`);
      return;
    }
    // Bring the reverted samples back into view: they are what the reviewer wants to redo.
    if (ids.length > 0) setCurrentId(ids[0]);
    setSelected(ids.length > 1 ? new Set(ids) : new Set());
  }, [journal, reviewer, notify, onError]);

  const selectSimilar = useCallback(async () => {
    if (!effectiveId) return;
    try {
      const ids = await bridge.invoke('similar', { id: effectiveId, k: 50 });
      const known = ids.filter((id) => idToRow.has(id));
      setSelected(new Set([effectiveId, ...known]));
      notify(
        'info',
        `Selected ${known.length} samples similar to this one; the next decision applies to all ${known.length + 1}.`,
      );
    } catch (err) {
      onError(`Select similar failed: ${errorMessage(err)}`);
    }
  }, [effectiveId, idToRow, notify, onError]);

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
  }, [busy, project?.status, ensureSynced]);

  const retrainStatus = retrainJob?.status;
  useEffect(() => {
    // The new model re-ranked the queue: fetch it (the project event usually does too; this is the safety net).
    if (retrainStatus === 'done') void refresh();
  }, [retrainStatus, refresh]);

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
    [ensureSynced],
  );

  const moveBy = useCallback(
    (dx: number, dy: number, extend: boolean) => {
      const pos = moveIndex(currentPos, dx, dy, columns, rows.length);
      const id = idAt(pos);
      if (!id) return;
      if (extend) {
        const a = anchor ?? currentPos;
        setAnchor(a);
        setSelected(rangeSet(a, pos));
      } else {
        setSelected(new Set());
        setAnchor(pos);
      }
      setCurrentId(id);
    },
    [currentPos, columns, rows, idAt, anchor, rangeSet],
  );

  const run = useCallback(
    (cmd: Command) => {
      switch (cmd.type) {
        case 'relabel':
          return void decide({ action: 'relabel', label: cmd.label });
        case 'other':
          return void decide({ action: 'other' });
        case 'accept':
          return void decide({ action: 'accept' });
        case 'keep':
          return void decide({ action: 'keep' });
        case 'skip':
          return void decide({ action: 'skip' });
        case 'skipOrMove':
          // Skipping records "seen, no decision": for a sample already decided (or a multi-sample
          // selection, which the arrow should not decide for) the arrow only moves on.
          if (selected.size <= 1 && effectiveId && !journal.fold.samples.get(effectiveId)) {
            return void decide({ action: 'skip' });
          }
          return moveBy(1, 0, false);
        case 'undo':
          return void undo();
        case 'move':
          return moveBy(cmd.dx, cmd.dy, cmd.extend);
        case 'home':
        case 'end': {
          const id = idAt(cmd.type === 'home' ? 0 : rows.length - 1);
          if (id) setCurrentId(id);
          return;
        }
        case 'selectSimilar':
          return void selectSimilar();
        case 'clearSelection':
          setSelected(new Set());
          return;
        case 'retrain':
          return void startRetrain();
        case 'export':
          if (project?.status === 'ready') setDialog('export');
          return;
        case 'insights':
          if (project?.status === 'ready') setDialog('insights');
          return;
        case 'help':
          setDialog('help');
          return;
      }
    },
    [
      decide,
      undo,
      moveBy,
      selected,
      effectiveId,
      journal.fold,
      rows,
      idAt,
      selectSimilar,
      startRetrain,
      project?.status,
    ],
  );

  const runRef = useLatest(run);
  const dialogRef = useLatest(dialog);
  const keysRef = useLatest(classKeys);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogRef.current || e.defaultPrevented || e.isComposing) return;
      const t = e.target as HTMLElement | null;
      if (
        t &&
        (t.closest('input, textarea, select, [contenteditable="true"]') ||
          (t.closest('button, a') && (e.key === 'Enter' || e.key === ' ')))
      )
        return;
      const cmd = commandForKey(e, keysRef.current);
      if (!cmd) return;
      e.preventDefault();
      runRef.current(cmd);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialogRef, keysRef, runRef]);

  const ready = !!project && !!queue;
  const canUndo = lastUndoableBatch(journal.fold) !== null;
  const status = project?.status;

  return (
    <div className="app">
      <TopBar
        project={project}
        busy={busy}
        onOpen={() => setDialog('open')}
        onInsights={() => setDialog('insights')}
        onRetrain={() => void startRetrain()}
        onExport={() => setDialog('export')}
        onHelp={() => setDialog('help')}
      />
      {!connected && (
        <div className="banner banner-error" role="alert">
          Connection to Unsure lost; reconnecting. Decisions you make are kept in this browser and sent when it is back.
        </div>
      )}
      {status === 'error' && project?.statusMessage && (
        <div className="banner banner-error" role="alert">
          {project.statusMessage}
        </div>
      )}
      <Notices notices={notices} onDismiss={(id) => setNotices((n) => n.filter((x) => x.id !== id))} />

      {ready ? (
        <main className="workspace">
          <div className="queue-col">
            <FilterBar project={project} filter={filter} counts={counts} shown={rows.length} onChange={setFilter} />
            <QueueGrid
              queue={queue}
              project={project}
              rows={rows}
              fold={journal.fold}
              currentPos={currentPos}
              selected={selected}
              sheetUrl={bridge.sheetUrl}
              onPick={stableOnPick}
              onColumns={setColumns}
            />
            <DecisionBar
              labels={project.labels}
              classKeys={classKeys}
              selectedCount={selected.size}
              disabled={!effectiveId}
              canUndo={canUndo}
              onCommand={run}
            />
          </div>
          <DetailPanel
            project={project}
            id={effectiveId}
            detail={detail}
            error={detailError}
            state={effectiveId ? journal.fold.samples.get(effectiveId) : undefined}
            imageUrl={bridge.imageUrl}
          />
        </main>
      ) : loadError && !project ? (
        <main className="centered">
          <div className="card" role="alert">
            <h2>Cannot reach Unsure</h2>
            <p>{loadError}</p>
            <button type="button" onClick={() => void refresh()}>
              Try again
            </button>
          </div>
        </main>
      ) : status === 'empty' || status === 'error' || (status === 'ready' && !queue) ? (
        <main className="centered">
          <div className="card">
            <h2>
              {status === 'error'
                ? 'The dataset could not be opened'
                : status === 'ready'
                  ? 'No model yet'
                  : 'Open a dataset'}
            </h2>
            {status === 'error' && <p className="error-text">{project?.statusMessage}</p>}
            <OpenDatasetForm bridge={bridge} onStarted={() => void refresh()} onError={onError} />
          </div>
        </main>
      ) : (
        <main className="centered">
          <LoadingScreen project={project} progress={progress} />
        </main>
      )}

      {ready && (
        <SessionBar
          entries={journal.entries}
          fold={journal.fold}
          since={since}
          sync={journal.sync}
          reviewer={reviewer}
          onPreferences={() => setDialog('prefs')}
        />
      )}

      {retrain && (
        <RetrainPanel
          job={retrainJob}
          error={retrain.error}
          onCancel={() => {
            if (retrain.jobId)
              bridge
                .invoke('cancelJob', { jobId: retrain.jobId })
                .catch((err: unknown) => onError(`Cancel failed: ${String(err)}`));
          }}
          onClose={() => setRetrain(null)}
        />
      )}

      {dialog === 'open' && (
        <Dialog title="Open dataset" onClose={() => setDialog(null)}>
          <OpenDatasetForm
            bridge={bridge}
            onStarted={() => {
              setDialog(null);
              void refresh();
            }}
            onError={onError}
          />
        </Dialog>
      )}
      {dialog === 'export' && (
        <ExportDialog
          job={exportState}
          error={exportJob.error}
          onExport={(dir) => void startExport(dir)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'insights' && project && (
        <InsightsDialog bridge={bridge} project={project} onClose={() => setDialog(null)} />
      )}
      {dialog === 'help' && <HelpOverlay classKeys={classKeys} onClose={() => setDialog(null)} />}
      {dialog === 'prefs' && (
        <PreferencesDialog
          reviewer={reviewer}
          onSave={(name) => {
            try {
              saveReviewer(name);
            } catch (err) {
              onError(`Could not save preferences: ${String(err)}`);
            }
            setReviewer(name.trim());
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
