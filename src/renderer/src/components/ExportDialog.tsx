import { useState } from 'react';
import { ExportSummary } from '../../../shared/api';
import type { JobState } from '../jobs/jobs';
import { Dialog } from './Dialog';
import { PathField } from './PathField';
import { ProgressBar } from './ProgressBar';

export function ExportDialog({
  job,
  error,
  suggested,
  choose,
  onExport,
  onClose,
}: {
  job: JobState | undefined;
  error: string | null;
  /** The folder offered first (ProjectInfo.exportDir); the reviewer may type any other. */
  suggested: string;
  /** The native folder dialog (desktop app only). */
  choose?: () => Promise<string | null>;
  onExport: (dir: string) => void;
  onClose: () => void;
}) {
  const [dir, setDir] = useState(suggested);
  const running = job?.status === 'running';
  const summary = job?.status === 'done' ? ExportSummary.safeParse(job.result) : null;
  const failure = error ?? (job?.status === 'error' ? job.error : null);
  return (
    <Dialog title="Export corrected dataset" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (dir.trim()) onExport(dir.trim());
        }}
      >
        <PathField
          label="Folder to write (created if missing; must be empty or new)"
          inputLabel="Export folder"
          value={dir}
          onChange={setDir}
          placeholder="a new or empty folder"
          choose={choose}
        />
        <p className="muted small">
          One folder per class with the original files, byte for byte; a manifest of every file with its decision (and
          its scores, once ranked); and the trained model.
        </p>
        <div className="row">
          <button type="submit" className="primary" disabled={running || !dir.trim()} aria-label="Export now">
            Export
          </button>
        </div>
      </form>
      {running && (
        <>
          <ProgressBar fraction={job.progress?.fraction ?? 0} label="Export progress" />
          <p className="muted">{job.progress?.message ?? 'starting…'}</p>
        </>
      )}
      {failure && (
        <p className="error-text" role="alert">
          Export failed: {failure}
        </p>
      )}
      {summary?.success && (
        <div data-testid="export-summary" role="status">
          <p>
            Wrote <strong>{summary.data.files.toLocaleString()}</strong> files to <code>{summary.data.dir}</code>,{' '}
            {summary.data.corrected.toLocaleString()} with corrected labels
            {summary.data.modelIncluded ? ', model included' : ''}.
          </p>
          <table className="per-class">
            <tbody>
              {Object.entries(summary.data.perClass).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td className="num">{v.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">{summary.data.manifest.join(', ')}</p>
        </div>
      )}
    </Dialog>
  );
}
