import { progressPercent } from '../queue/describe';

export function ProgressBar({ fraction, label }: { fraction: number; label: string }) {
  const pct = progressPercent(fraction);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
