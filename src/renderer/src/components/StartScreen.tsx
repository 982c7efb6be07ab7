import type { ProgressEvent, ProjectInfo } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import { LoadingScreen } from './LoadingScreen';
import { OpenDatasetForm } from './OpenDatasetForm';

export interface StartScreenProps {
  bridge: RendererBridge;
  project: ProjectInfo | null;
  hasQueue: boolean;
  loadError: string | null;
  progress: ProgressEvent | null;
  refresh: () => Promise<void>;
}

/** What shows before there is a queue to review: no connection, a dataset to open, or its progress. */
export function StartScreen({ bridge, project, hasQueue, loadError, progress, refresh }: StartScreenProps) {
  const status = project?.status;
  if (loadError && !project) {
    return (
      <main className="centered">
        <div className="card" role="alert">
          <h2>Cannot reach Unsure</h2>
          <p>{loadError}</p>
          <button type="button" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (status === 'empty' || status === 'error' || (status === 'ready' && !hasQueue)) {
    return (
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
          <OpenDatasetForm bridge={bridge} onStarted={() => void refresh()} />
        </div>
      </main>
    );
  }
  return (
    <main className="centered">
      <LoadingScreen project={project} progress={progress} />
    </main>
  );
}
