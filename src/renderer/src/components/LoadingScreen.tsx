import type { ProgressEvent, ProjectInfo } from '../../../shared/api';
import { formatEta } from '../queue/describe';
import { ProgressBar } from './ProgressBar';

const TASK_WORDS: Record<string, string> = {
  open: 'Opening dataset',
  train: 'Training model',
  score: 'Scoring samples',
};

export function LoadingScreen({ project, progress }: { project: ProjectInfo | null; progress: ProgressEvent | null }) {
  const title = progress
    ? (TASK_WORDS[progress.task] ?? progress.task)
    : project
      ? `Project ${project.status}`
      : 'Connecting…';
  return (
    <div className="loading" role="status" aria-live="polite">
      <h2>{project?.dataset.demo ? 'Preparing the built-in demo' : (project?.name ?? 'Unsure')}</h2>
      <p>{title}</p>
      <ProgressBar fraction={progress?.fraction ?? 0} label={title} />
      <p className="muted">
        {progress?.message ?? project?.statusMessage ?? 'Waiting for the main side…'}
        {progress?.epoch !== undefined && progress.epochs !== undefined && !/epoch/i.test(progress.message)
          ? ` · epoch ${progress.epoch}/${progress.epochs}`
          : ''}
        {progress?.etaSec !== undefined ? ` · about ${formatEta(progress.etaSec)} left` : ''}
      </p>
    </div>
  );
}
