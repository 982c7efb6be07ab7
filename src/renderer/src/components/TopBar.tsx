import type { ProjectInfo } from '../../../shared/api';
import { accuracy, FAMILY_SHORT, modelFacts } from '../queue/describe';
import { keepFocus } from './keep-focus';

export interface TopBarProps {
  project: ProjectInfo | null;
  busy: boolean;
  onOpen: () => void;
  onInsights: () => void;
  onRetrain: () => void;
  onExport: () => void;
  onHelp: () => void;
}

export function TopBar({ project, busy, onOpen, onInsights, onRetrain, onExport, onHelp }: TopBarProps) {
  const ready = project?.status === 'ready';
  const conflicts = project?.counts.labelConflicts ?? 0;
  const facts = project?.model
    ? `${project.modelVersion ? `model ${project.modelVersion}. ` : ''}${modelFacts(project.model)}`
    : '';
  return (
    <header className="top-bar" onMouseDown={keepFocus}>
      <h1>Unsure</h1>
      {project && (
        <div className="project-facts">
          <strong className="project-name" title={project.name}>
            {project.name}
          </strong>
          {/* No counts while the samples are still being listed: "0 train" would be wrong. */}
          {project.counts.train + project.counts.pool > 0 && (
            <span className="muted">
              {project.counts.train.toLocaleString()} train · {project.counts.pool.toLocaleString()} pool
              {project.counts.duplicates > 0 ? ` · ${project.counts.duplicates} duplicates` : ''}
              {conflicts > 0 ? ` · ${conflicts} label conflict${conflicts === 1 ? '' : 's'}` : ''}
            </span>
          )}
          {project.model && (
            // The recipe line is long, the version a hash: the tooltip holds them with the reason for the family.
            <span className="muted" title={facts} aria-label={facts}>
              {project.model.own ? `your ${project.model.own}` : FAMILY_SHORT[project.model.arch]}
            </span>
          )}
          {project.heldOutAccuracy !== null && (
            <span>
              held-out accuracy {accuracy(project.heldOutAccuracy)}
              {project.heldOutSamples !== null && (
                <span className="muted">
                  {' '}
                  on {project.heldOutSamples.toLocaleString()} sample{project.heldOutSamples === 1 ? '' : 's'}
                </span>
              )}
            </span>
          )}
          <span className="muted">
            {project.backend.backend === 'tensorflow'
              ? `libtensorflow ${project.backend.libtensorflow}`
              : project.backend.backend}
          </span>
        </div>
      )}
      <span className="spacer" />
      <button type="button" onClick={onOpen} aria-label="Open dataset">
        Open…
      </button>
      <button type="button" onClick={onInsights} disabled={!ready} aria-label="Insights" aria-keyshortcuts="i">
        Insights
      </button>
      <button
        type="button"
        className="primary"
        onClick={onRetrain}
        disabled={!ready || busy}
        aria-label="Retrain"
        aria-keyshortcuts="Shift+R"
      >
        Retrain
      </button>
      <button
        type="button"
        onClick={onExport}
        disabled={!ready || busy}
        aria-label="Export"
        aria-keyshortcuts="Shift+E"
      >
        Export
      </button>
      <button type="button" onClick={onHelp} aria-label="Keyboard help" aria-keyshortcuts="?">
        ?
      </button>
    </header>
  );
}
