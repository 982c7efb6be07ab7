import { useEffect, useState } from 'react';
import type { Insights, ProjectInfo } from '../../../shared/api';
import { errorMessage } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import { Dialog } from './Dialog';
import { EmbeddingMapView } from './EmbeddingMapView';
import { MATRIX_MAX_CLASSES, topConfusions } from './top-confusions';

export function InsightsDialog({
  bridge,
  project,
  onClose,
  onReopened,
  onError,
  onPickSample,
}: {
  bridge: RendererBridge;
  project: ProjectInfo;
  onClose: () => void;
  /** The project was opened again with the other model family. */
  onReopened: () => void;
  onError: (m: string) => void;
  /** Shows a sample of the map in the queue. */
  onPickSample: (id: string) => void;
}) {
  const [data, setData] = useState<Insights | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    bridge.invoke('getInsights', {}).then(setData, (e: unknown) => setError(errorMessage(e)));
  }, [bridge, project.modelVersion]);
  return (
    <Dialog title="Insights" onClose={onClose} wide>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {project.model && (
        <section aria-label="Model">
          <h3>Model</h3>
          <p className="muted small">{modelSentence(project.model)}</p>
          <p className="muted small">Preprocessing recipe: {project.model.recipe}</p>
          <SwitchFamily bridge={bridge} project={project} onReopened={onReopened} onError={onError} />
        </section>
      )}
      {data === undefined && !error && <p className="muted">Loading…</p>}
      {data === null && <p className="muted">No model yet.</p>}
      {data && (
        <div className="insights">
          <section aria-label="Confusion matrix">
            <h3>Given label × predicted</h3>
            <p className="muted small">
              {data.confusionOf.rows === 'held-out'
                ? `${data.confusionOf.count.toLocaleString()} held-out samples, never trained on`
                : `${data.confusionOf.count.toLocaleString()} labelled samples (none held out)`}
            </p>
            {project.classes.length > MATRIX_MAX_CLASSES ? (
              <TopConfusions rows={project.labels} cols={project.classes} matrix={data.confusion} />
            ) : (
              <ConfusionHeatmap rows={project.labels} cols={project.classes} matrix={data.confusion} />
            )}
          </section>
          <section aria-label="Score histograms" className="histograms">
            {data.histograms.map((h) => (
              <ScoreHistogram key={h.score} {...h} />
            ))}
          </section>
        </div>
      )}
      {data && <EmbeddingMapView bridge={bridge} project={project} onPick={onPickSample} />}
    </Dialog>
  );
}

/** The largest mix-ups, for more classes than a matrix can show. */
function TopConfusions({ rows, cols, matrix }: { rows: string[]; cols: string[]; matrix: number[][] }) {
  const top = topConfusions(rows, cols, matrix, 15);
  if (top.length === 0) return <p className="muted">No sample is predicted other than its given label.</p>;
  return (
    <table className="top-confusions" aria-label="Most frequent confusions">
      <thead>
        <tr>
          <th>given</th>
          <th>predicted</th>
          <th className="num">samples</th>
        </tr>
      </thead>
      <tbody>
        {top.map((t) => (
          <tr key={`${t.given}\n${t.predicted}`}>
            <td>{t.given}</td>
            <td>{t.predicted}</td>
            <td className="num">
              {t.count.toLocaleString()} <span className="muted">({(100 * t.share).toFixed(0)}%)</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const CELL = 30;

/** A class name cut to fit its axis, marked as cut; the full name is the label's tooltip. */
const clip = (name: string, chars: number) =>
  [...name].length > chars ? `${[...name].slice(0, chars - 1).join('')}…` : name;

/** Log colour scale: the diagonal dwarfs the off-diagonal cells that matter. */
export function ConfusionHeatmap({ rows, cols, matrix }: { rows: string[]; cols: string[]; matrix: number[][] }) {
  const max = Math.max(1, ...matrix.flat());
  const pad = { left: 64, top: 40 };
  const w = pad.left + cols.length * CELL + 4;
  const h = pad.top + rows.length * CELL + 4;
  return (
    <svg
      className="heatmap"
      width={w}
      height={h}
      role="img"
      aria-label="Confusion heatmap: rows are given labels, columns are predicted classes"
    >
      <text x={pad.left + (cols.length * CELL) / 2} y={12} textAnchor="middle" className="axis-title">
        predicted
      </text>
      {cols.map((c, j) => (
        <text key={c} x={pad.left + j * CELL + CELL / 2} y={pad.top - 8} textAnchor="middle" className="axis">
          {clip(c, 5)}
          <title>{c}</title>
        </text>
      ))}
      {rows.map((r, i) => (
        <g key={r}>
          <text x={pad.left - 6} y={pad.top + i * CELL + CELL / 2 + 4} textAnchor="end" className="axis">
            {clip(r, 8)}
            <title>{r}</title>
          </text>
          {cols.map((c, j) => {
            const v = matrix[i]?.[j] ?? 0;
            const t = v === 0 ? 0 : Math.log1p(v) / Math.log1p(max);
            const diag = r === c;
            return (
              <g key={c}>
                <rect
                  x={pad.left + j * CELL}
                  y={pad.top + i * CELL}
                  width={CELL - 1}
                  height={CELL - 1}
                  fill={
                    v === 0
                      ? 'var(--cell-empty)'
                      : diag
                        ? `rgba(80, 170, 120, ${0.15 + 0.85 * t})`
                        : `rgba(230, 110, 70, ${0.15 + 0.85 * t})`
                  }
                >
                  <title>{`given ${r}, predicted ${c}: ${v}`}</title>
                </rect>
                {v > 0 && (
                  <text
                    x={pad.left + j * CELL + CELL / 2}
                    y={pad.top + i * CELL + CELL / 2 + 4}
                    textAnchor="middle"
                    className="cell-num"
                  >
                    {v >= 1000 ? `${Math.round(v / 100) / 10}k` : v}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}

/** Two overlaid histograms (held-out in-distribution vs pool), each normalised to its own total, with the flagging threshold. */
export function ScoreHistogram({
  score,
  edges,
  inDistribution,
  pool,
  threshold,
}: {
  score: string;
  edges: number[];
  inDistribution: number[];
  pool: number[];
  threshold: number | null;
}) {
  const W = 320;
  const H = 140;
  const pad = { l: 8, r: 8, t: 18, b: 22 };
  const n = Math.max(inDistribution.length, pool.length);
  const lo = edges[0] ?? 0;
  const hi = edges[edges.length - 1] ?? 1;
  const span = hi - lo || 1;
  const x = (v: number) => pad.l + ((v - lo) / span) * (W - pad.l - pad.r);
  const norm = (a: number[]) => {
    const s = a.reduce((p, c) => p + c, 0) || 1;
    return a.map((v) => v / s);
  };
  const a = norm(inDistribution);
  const b = norm(pool);
  // A training set opened without a pool has nothing to draw against the held-out samples.
  const hasPool = pool.some((v) => v > 0);
  const top = Math.max(1e-9, ...a, ...b);
  const y = (v: number) => H - pad.b - (v / top) * (H - pad.t - pad.b);
  const bars = (vals: number[], cls: string) =>
    vals.map((v, i) => {
      const x0 = x(edges[i] ?? lo);
      const x1 = x(edges[i + 1] ?? hi);
      return (
        <rect
          key={`${cls}${i}`}
          className={cls}
          x={x0}
          y={y(v)}
          width={Math.max(0.5, x1 - x0 - 0.5)}
          height={H - pad.b - y(v)}
        />
      );
    });
  return (
    <figure className="histogram">
      <svg width={W} height={H} role="img" aria-label={`Histogram of ${score}`}>
        <text x={pad.l} y={12} className="axis-title">
          {score}
        </text>
        {n > 0 && bars(a, 'h-in')}
        {n > 0 && hasPool && bars(b, 'h-pool')}
        {threshold !== null && threshold >= lo && threshold <= hi && (
          <g>
            <line x1={x(threshold)} x2={x(threshold)} y1={pad.t} y2={H - pad.b} className="threshold" />
            <text
              x={x(threshold) > W / 2 ? x(threshold) - 3 : x(threshold) + 3}
              y={pad.t + 8}
              className="axis"
              textAnchor={x(threshold) > W / 2 ? 'end' : 'start'}
            >
              threshold {threshold.toPrecision(3)}
            </text>
          </g>
        )}
        <text x={pad.l} y={H - 6} className="axis">
          {lo.toPrecision(3)}
        </text>
        <text x={W - pad.r} y={H - 6} className="axis" textAnchor="end">
          {hi.toPrecision(3)}
        </text>
      </svg>
      <figcaption className="legend">
        <span className="sw sw-in" /> held-out in-distribution
        {hasPool && (
          <>
            {' '}
            <span className="sw sw-pool" /> pool
          </>
        )}
      </figcaption>
    </figure>
  );
}

/** The reason names the family ("...: the pretrained backbone"), or whose model it is; what is trained here follows. */
function modelSentence(m: NonNullable<ProjectInfo['model']>): string {
  if (m.own === 'model')
    return `${m.reason}; a retrain trains a head on its features, and the model itself is never changed`;
  if (m.own === 'predictions') return `${m.reason}; a retrain trains a head on their features`;
  return `${m.reason}, ${m.arch === 'backbone' ? 'with a head trained here' : 'trained here'}`;
}

const OTHER_FAMILY = {
  cnn: { arch: 'backbone', text: 'Use the pretrained backbone + head instead' },
  backbone: { arch: 'cnn', text: 'Use the small CNN instead' },
} as const;

/**
 * The override of the rule that chose the model family: opens the same datasets again with
 * the other one (decisions are keyed by content, so every one of them stays).
 */
function SwitchFamily({
  bridge,
  project,
  onReopened,
  onError,
}: {
  bridge: RendererBridge;
  project: ProjectInfo;
  onReopened: () => void;
  onError: (m: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const { dataset, model } = project;
  // The demo's model is shipped, and a user's own model is neither family.
  if (dataset.demo || !dataset.train || !model || model.own) return null;
  const other = OTHER_FAMILY[model.arch];
  return (
    <p className="small">
      <button
        type="button"
        disabled={busy || project.status !== 'ready'}
        onClick={() => {
          setBusy(true);
          bridge
            .invoke('openDataset', { train: dataset.train, pool: dataset.pool, arch: other.arch })
            .then(onReopened, (e: unknown) => onError(`Could not switch the model: ${errorMessage(e)}`))
            .finally(() => setBusy(false));
        }}
      >
        {other.text}
      </button>{' '}
      <span className="muted">trains a new model on the same data; every decision is kept.</span>
    </p>
  );
}
