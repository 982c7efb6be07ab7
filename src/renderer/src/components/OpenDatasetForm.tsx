import { useEffect, useState } from 'react';
import type { RecentProject } from '../../../shared/api';
import { errorMessage } from '../../../shared/api';
import type { RendererBridge } from '../bridge';

/** Opens a dataset by path (train and/or pool), the demo, or a recent project. */
export function OpenDatasetForm({
  bridge,
  onStarted,
  onError,
}: {
  bridge: RendererBridge;
  onStarted: () => void;
  onError: (m: string) => void;
}) {
  const [train, setTrain] = useState('');
  const [pool, setPool] = useState('');
  const [recent, setRecent] = useState<RecentProject[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    bridge.invoke('listRecent', {}).then(setRecent, () => setRecent([]));
  }, [bridge]);

  const open = async (spec: { train?: string; pool?: string; demo?: boolean }) => {
    setBusy(true);
    try {
      await bridge.invoke('openDataset', spec);
      onStarted();
    } catch (err) {
      onError(`Could not open the dataset: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="open-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const spec: { train?: string; pool?: string } = {};
          if (train.trim()) spec.train = train.trim();
          if (pool.trim()) spec.pool = pool.trim();
          if (!spec.train && !spec.pool) {
            onError('Give a train path, a pool path, or both.');
            return;
          }
          void open(spec);
        }}
      >
        <label className="field">
          <span>Train path</span>
          <input
            value={train}
            onChange={(e) => setTrain(e.target.value)}
            placeholder="/data/mnist-train (class folders, CSV or IDX)"
            spellCheck={false}
          />
        </label>
        <label className="field">
          <span>Pool path</span>
          <input
            value={pool}
            onChange={(e) => setPool(e.target.value)}
            placeholder="/data/to-review (optional)"
            spellCheck={false}
          />
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Open dataset
          </button>
          <button type="button" disabled={busy} onClick={() => void open({ demo: true })}>
            Open demo
          </button>
        </div>
      </form>
      {recent.length > 0 && (
        <section className="recent" aria-label="Recent projects">
          <h3>Recent</h3>
          <ul>
            {recent.map((r) => (
              <li key={r.projectId}>
                <button
                  type="button"
                  className="link"
                  disabled={busy}
                  onClick={() =>
                    void open(
                      r.dataset.demo
                        ? { demo: true }
                        : {
                            ...(r.dataset.train ? { train: r.dataset.train } : {}),
                            ...(r.dataset.pool ? { pool: r.dataset.pool } : {}),
                          },
                    )
                  }
                >
                  {r.name}
                </button>
                <span className="muted">
                  {' '}
                  {r.dataset.demo ? 'built-in demo' : [r.dataset.train, r.dataset.pool].filter(Boolean).join(' + ')}
                </span>
                <span className="muted"> · {new Date(r.openedAt).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
