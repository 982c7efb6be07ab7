import { useEffect, useState, type MouseEvent } from 'react';
import type { EmbeddingMap, ProjectInfo } from '../../../shared/api';
import { DoubtFlag, errorMessage, OTHER_LABEL } from '../../../shared/api';
import type { RendererBridge } from '../bridge';

const W = 560;
const H = 340;
const PAD = 8;
/** Tableau 10: distinct on the dark panel, and in most colour-vision deficiencies. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];
const OTHER_COLOUR = '#8b8f96';
const OOD_RING = '#c792ff';

/**
 * The model's embedding space on the plane that spreads its classes most: clusters are classes, a pool
 * sample far from every cluster is what the queue calls out-of-distribution. A click on a
 * point shows that sample.
 */
export function EmbeddingMapView({
  bridge,
  project,
  onPick,
}: {
  bridge: RendererBridge;
  project: ProjectInfo;
  onPick: (id: string) => void;
}) {
  const [map, setMap] = useState<EmbeddingMap | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    bridge.invoke('getEmbeddingMap', {}).then(setMap, (e: unknown) => setError(errorMessage(e)));
  }, [bridge, project.modelVersion]);
  if (error) return <p className="error-text">The map could not be made: {error}</p>;
  if (map === undefined) return <p className="muted">Placing the samples…</p>;
  if (map === null || map.ids.length === 0) return null;

  const span = (v: number[]) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    return { lo, k: hi > lo ? 1 / (hi - lo) : 0 };
  };
  const sx = span(map.x);
  const sy = span(map.y);
  const colourOf = (c: number) => (project.classes[c] === OTHER_LABEL ? OTHER_COLOUR : PALETTE[c % PALETTE.length]!);
  const pick = (e: MouseEvent<SVGSVGElement>) => {
    const id = (e.target as Element).getAttribute('data-id');
    if (id) onPick(id);
  };
  const pool = map.split.filter((s) => s === 1).length;
  return (
    <section aria-label="Embedding map" className="embedding-map">
      <h3>Embedding map</h3>
      <p className="muted small">
        {map.ids.length.toLocaleString()} samples ({pool.toLocaleString()} from the pool) in the model&apos;s embedding
        space, seen from where its classes lie furthest apart; coloured by prediction, faint: training samples, ringed:
        out-of-distribution. Click a point to show it.
      </p>
      <svg width={W} height={H} role="img" aria-label="Samples by embedding" onClick={pick}>
        {/* Training samples first, so the pool is drawn over them. */}
        {[0, 1].map((split) =>
          map.ids.map((id, i) => {
            if (map.split[i] !== split) return null;
            const ood = (map.flags[i]! & DoubtFlag.ood) !== 0;
            return (
              <circle
                key={id}
                data-id={id}
                cx={PAD + (map.x[i]! - sx.lo) * sx.k * (W - 2 * PAD)}
                cy={H - PAD - (map.y[i]! - sy.lo) * sy.k * (H - 2 * PAD)}
                r={split === 1 ? 2.6 : 2}
                // An out-of-distribution sample is a ring, so the clusters show through the crowd.
                fill={ood && split === 1 ? 'none' : colourOf(map.predicted[i]!)}
                fillOpacity={split === 1 ? 0.85 : 0.45}
                stroke={ood && split === 1 ? OOD_RING : 'none'}
                strokeWidth={1.2}
                pointerEvents="all"
              >
                <title>{`${project.classes[map.predicted[i]!] ?? '?'}${split === 1 ? ', pool' : ', training'}${ood ? ', out-of-distribution' : ''}`}</title>
              </circle>
            );
          }),
        )}
      </svg>
      <ul className="map-legend">
        {project.classes.slice(0, 12).map((c, k) => (
          <li key={c}>
            <span className="swatch" style={{ background: colourOf(k) }} />
            {c}
          </li>
        ))}
        {project.classes.length > 12 && <li className="muted">colours repeat past 10 classes</li>}
      </ul>
    </section>
  );
}
