import type { ProgressEvent, ProjectInfo, SampleDetail } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import type { JournalFold } from '../../../shared/journal-fold';
import type { Command } from '../keys/keymap';
import type { QueueView } from '../queue/view';
import type { QueueRows } from '../hooks/useQueueRows';
import type { Selection } from '../hooks/useSelection';
import { FilterBar } from './FilterBar';
import { QueueGrid } from './QueueGrid';
import { DecisionBar } from './DecisionBar';
import { DetailPanel } from './DetailPanel';
import { BigView } from './BigView';

export interface WorkspaceProps {
  bridge: RendererBridge;
  project: ProjectInfo;
  queue: QueueView;
  fold: JournalFold;
  view: QueueRows;
  selection: Selection;
  classKeys: ReadonlyMap<string, string>;
  canUndo: boolean;
  detail: SampleDetail | null;
  detailError: string | null;
  onCommand: (cmd: Command) => void;
  /** The current sample's image large, over the grid (BigView). */
  bigView: boolean;
  /** The background label check's progress while it runs (FilterBar). */
  labelCheck: ProgressEvent | null;
}

/** The review workspace: the filtered queue, the decision bar, and the current sample's detail. */
export function Workspace(p: WorkspaceProps) {
  const { project, selection, view } = p;
  const { effectiveId } = selection;
  return (
    <main className="workspace">
      <div className="queue-col">
        <div className="queue-area">
          <FilterBar
            project={project}
            filter={view.filter}
            counts={view.counts}
            shown={view.rows.length}
            onChange={view.setFilter}
            labelCheck={p.labelCheck}
          />
          <QueueGrid
            queue={p.queue}
            project={project}
            rows={view.rows}
            fold={p.fold}
            currentPos={selection.currentPos}
            selected={selection.selected}
            sheetUrl={p.bridge.sheetUrl}
            onPick={selection.onPick}
            onColumns={selection.setColumns}
          />
          {p.bigView && effectiveId && (
            <BigView
              project={project}
              id={effectiveId}
              detail={p.detail}
              imageUrl={p.bridge.imageUrl}
              onClose={() => p.onCommand({ type: 'view' })}
            />
          )}
        </div>
        <DecisionBar
          labels={project.labels}
          classKeys={p.classKeys}
          selectedCount={selection.selected.size}
          disabled={!effectiveId}
          canUndo={p.canUndo}
          onCommand={p.onCommand}
        />
      </div>
      <DetailPanel
        project={project}
        id={effectiveId}
        detail={p.detail}
        error={p.detailError}
        state={effectiveId ? p.fold.samples.get(effectiveId) : undefined}
        imageUrl={p.bridge.imageUrl}
        onViewImage={() => p.onCommand({ type: 'view' })}
      />
    </main>
  );
}
