import type { DatasetSpec, RecentProject } from '../../../shared/api';
import { FAMILY_SHORT } from '../queue/describe';

/** The recent projects, each opened again as it was last opened (its model choice included). */
export function RecentProjects({
  recent,
  disabled,
  onOpen,
}: {
  recent: RecentProject[];
  disabled: boolean;
  onOpen: (spec: DatasetSpec & { demo?: boolean }) => void;
}) {
  if (recent.length === 0) return null;
  return (
    <section className="recent" aria-label="Recent projects">
      <h3>Recent</h3>
      <ul>
        {recent.map((r) => {
          const { demo, ...spec } = r.dataset;
          return (
            <li key={r.projectId}>
              <button type="button" className="link" disabled={disabled} onClick={() => onOpen(demo ? { demo } : spec)}>
                {r.name}
              </button>
              <span className="muted"> {demo ? 'built-in demo' : describe(spec)}</span>
              <span className="muted"> · {new Date(r.openedAt).toLocaleString()}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function describe(d: DatasetSpec): string {
  return [
    [d.train, d.pool].filter(Boolean).join(' + '),
    d.arch && d.arch !== 'auto' && FAMILY_SHORT[d.arch],
    d.model && `model ${d.model}`,
    d.predProbs && `predictions ${d.predProbs}`,
    d.backbone && `backbone ${d.backbone}`,
  ]
    .filter(Boolean)
    .join(' · ');
}
