import { RetrainSummary } from '../../../shared/api';
import type { JobState } from '../jobs/jobs';
import { accuracy, formatEta } from '../queue/describe';
import { ProgressBar } from './ProgressBar';

/** Progress of a retrain, then what it changed. */
export function RetrainPanel({
  job,
  error,
  onCancel,
  onClose,
}: {
  job: JobState | undefined;
  error: string | null;
  onCancel: () => void;
  onClose: () => void;
}) {
  const p = job?.progress;
  const running = !error && (!job || job.status === 'running');
  const summary = job?.status === 'done' ? RetrainSummary.safeParse(job.result) : null;
  return (
    <section className="job-panel" aria-label="Retraining">
      <header>
        <h2>
          {running
            ? 'Retraining…'
            : job?.status === 'done'
              ? 'Retrained'
              : job?.status === 'cancelled'
                ? 'Retrain cancelled'
                : 'Retrain failed'}
        </h2>
        {running ? (
          <button type="button" onClick={onCancel} disabled={!job} aria-label="Cancel">
            Cancel
          </button>
        ) : (
          <button type="button" onClick={onClose} aria-label="Close">
            Close
          </button>
        )}
      </header>
      {running && (
        <>
          <ProgressBar fraction={p?.fraction ?? 0} label="Retrain progress" />
          <p className="job-line" data-testid="retrain-progress">
            {p ? (
              <>
                {p.phase}
                {p.epoch !== undefined && p.epochs !== undefined && ` · epoch ${p.epoch}/${p.epochs}`}
                {p.loss !== undefined && ` · loss ${p.loss.toFixed(4)}`}
                {p.accuracy !== undefined && ` · accuracy ${accuracy(p.accuracy)}`}
                {p.samplesPerSec !== undefined && ` · ${Math.round(p.samplesPerSec)} samples/s`}
                {p.etaSec !== undefined && ` · ETA ${formatEta(p.etaSec)}`}
              </>
            ) : (
              'starting…'
            )}
          </p>
        </>
      )}
      {(error ?? job?.error) && (
        <p className="error-text" role="alert">
          {error ?? job?.error}
        </p>
      )}
      {!running && job?.status !== 'done' && (
        <p className="job-line">The previous model stays in use, and every decision is saved.</p>
      )}
      {summary?.success && (
        <dl className="summary" data-testid="retrain-summary">
          <dt>Held-out accuracy</dt>
          <dd>
            {summary.data.heldOutAccuracyBefore === null ? '—' : accuracy(summary.data.heldOutAccuracyBefore)} →{' '}
            <strong>{accuracy(summary.data.heldOutAccuracyAfter)}</strong>
          </dd>
          <dt>Queue</dt>
          <dd>
            {summary.data.queueBefore.toLocaleString()} → {summary.data.queueAfter.toLocaleString()} (
            {summary.data.leftQueue.toLocaleString()} left the queue)
          </dd>
          <dt>Now predicted “other”</dt>
          <dd>
            {summary.data.predictedOther.toLocaleString()} pool{' '}
            {summary.data.predictedOther === 1 ? 'sample' : 'samples'}
            {summary.data.otherByDistance > 0 &&
              ` (${summary.data.otherByDistance.toLocaleString()} for being far from every known class)`}
          </dd>
          <dt>Marked “other”</dt>
          <dd>
            {summary.data.trainedOnCorrections.toLocaleString()} of {summary.data.markedOther.toLocaleString()} now
            predicted “other”
          </dd>
          <dt>Model</dt>
          <dd>{summary.data.modelVersion}</dd>
        </dl>
      )}
      {summary && !summary.success && <p className="muted">Retrain finished.</p>}
    </section>
  );
}
