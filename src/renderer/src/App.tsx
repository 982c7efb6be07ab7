// The app: the hooks that hold its state, wired to the layout. Each hook owns one job
// (notices, the queue's rows, selection, decisions, jobs, keys); see hooks/.
import { useMemo, useState } from 'react';
import { getBridge } from './bridge';
import { givenLabelsOfQueue } from './journal/given-labels';
import { JournalStore } from './journal/store';
import { assignClassKeys } from './keys/keymap';
import { loadReviewer } from './preferences';
import { useProject } from './hooks/useProject';
import { useJournal } from './hooks/useJournal';
import { useFolderDrop } from './hooks/useFolderDrop';
import { useMenuCommands } from './hooks/useMenuCommands';
import { useProjectWarnings } from './hooks/useProjectWarnings';
import { useNotices } from './hooks/useNotices';
import { useQueueRows } from './hooks/useQueueRows';
import { useSelection } from './hooks/useSelection';
import { useCurrentDetail } from './hooks/useCurrentDetail';
import { useDecisions } from './hooks/useDecisions';
import { useJobs } from './hooks/useJobs';
import { useCommands, type DialogName } from './hooks/useCommands';
import { useGlobalKeys } from './hooks/useGlobalKeys';
import { DEFAULT_FILTER } from './queue/filter';
import { AppLayout } from './components/AppLayout';
import { AppDialogs } from './components/AppDialogs';
import { decisionTarget } from './components/DecisionBar';
import { StartScreen } from './components/StartScreen';
import { SessionBar } from './components/SessionBar';
import { Workspace } from './components/Workspace';

const bridge = getBridge();
const store = new JournalStore();

export function App() {
  const notices = useNotices();
  const { onError } = notices;

  const [reviewer, setReviewer] = useState(loadReviewer);
  const [since] = useState(() => new Date().toISOString());
  const { project, queue, progress, labelCheck, jobs, connected, loadError, refresh } = useProject(bridge, onError);
  useFolderDrop(bridge, refresh, onError);
  useProjectWarnings(project, onError);
  const projectId = project?.projectId ?? null;
  // Keep yields the given label, so the fold needs the given labels the queue carries.
  const given = useMemo(() => givenLabelsOfQueue(queue, project?.labels ?? []), [queue, project?.labels]);
  const journal = useJournal(bridge, store, projectId, given, onError);

  const view = useQueueRows(queue, journal.fold);
  const selection = useSelection(queue, view.rows, view.idToRow);
  const [dialog, setDialog] = useState<DialogName>(null);
  const [bigView, setBigView] = useState(false);

  // A different project starts from a clean view (reset while rendering, as React advises
  // for state derived from a prop, instead of an effect that would render twice).
  const [viewOf, setViewOf] = useState(projectId);
  if (viewOf !== projectId) {
    setViewOf(projectId);
    view.setFilter(DEFAULT_FILTER);
    selection.reset();
    setBigView(false);
  }

  const classKeys = useMemo(() => assignClassKeys(project?.labels ?? []), [project?.labels]);
  const { detail, error: detailError } = useCurrentDetail(bridge, selection, queue?.modelVersion ?? null);
  const { decide, undo, selectSimilar, canUndo } = useDecisions({
    bridge,
    project,
    queue,
    idToRow: view.idToRow,
    journal,
    selection,
    reviewer,
    notices,
  });
  const jobsState = useJobs({ bridge, project, jobs, journal, refresh, onError });
  const { startRetrain } = jobsState;

  const run = useCommands({
    selection,
    rowCount: view.rows.length,
    fold: journal.fold,
    ready: project?.status === 'ready',
    decide,
    undo,
    selectSimilar,
    startRetrain,
    setDialog,
    bigView,
    setBigView,
  });
  useGlobalKeys(run, dialog !== null, classKeys, (hint) => notices.notify('info', hint));
  useMenuCommands(bridge, run, setDialog);

  return (
    <AppLayout
      project={project}
      connected={connected}
      busy={jobsState.busy}
      notices={notices}
      setDialog={setDialog}
      onRetrain={() => void startRetrain()}
      main={
        project && queue ? (
          <Workspace
            bridge={bridge}
            project={project}
            queue={queue}
            fold={journal.fold}
            view={view}
            selection={selection}
            classKeys={classKeys}
            canUndo={canUndo}
            detail={detail}
            detailError={detailError}
            onCommand={run}
            bigView={bigView}
            labelCheck={labelCheck}
          />
        ) : (
          <StartScreen
            bridge={bridge}
            project={project}
            hasQueue={!!queue}
            loadError={loadError}
            progress={progress}
            refresh={refresh}
          />
        )
      }
      footer={
        project &&
        queue && (
          <SessionBar
            entries={journal.entries}
            fold={journal.fold}
            since={since}
            sync={journal.sync}
            reviewer={reviewer}
            onPreferences={() => setDialog('prefs')}
          />
        )
      }
    >
      <AppDialogs
        bridge={bridge}
        dialog={dialog}
        setDialog={setDialog}
        project={project}
        classKeys={classKeys}
        jobs={jobsState}
        reviewer={reviewer}
        setReviewer={setReviewer}
        refresh={refresh}
        onError={onError}
        onCommand={run}
        decisionTarget={decisionTarget(selection.selected.size)}
        onPickSample={(id) => {
          // A sample the filters hide is shown by showing every sample.
          const row = view.idToRow.get(id);
          if (row !== undefined && !view.rows.includes(row)) view.setFilter(DEFAULT_FILTER);
          selection.setSelected(new Set());
          selection.setCurrentId(id);
          setDialog(null);
        }}
      />
    </AppLayout>
  );
}
