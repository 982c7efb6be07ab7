import { OTHER_BY_DISTANCE, type ProjectInfo, type SampleDetail } from '../../../shared/api';
import type { SampleState } from '../../../shared/journal-fold';
import { doubtKinds, DOUBT_WORDS, nativeSize, percent } from '../queue/describe';
import { probRows } from './prob-rows';

export interface DetailPanelProps {
  project: ProjectInfo;
  id: string | null;
  detail: SampleDetail | null;
  error: string | null;
  state: SampleState | undefined;
  imageUrl: (id: string) => string;
  /** Shows the image large (Space does the same). */
  onViewImage: () => void;
}

/** The "why" of one sample: what the model thinks of every class, how unusual the input is, and what it resembles. */
export function DetailPanel({ project, id, detail, error, state, imageUrl, onViewImage }: DetailPanelProps) {
  // Photos are scaled smoothly; small grey digits stay crisp, one block per pixel.
  const colour = project.image?.channels === 3 ? ' colour' : '';
  if (!id)
    return (
      <aside className="detail" aria-label="Sample detail">
        <p className="muted">Select a sample.</p>
      </aside>
    );
  return (
    <aside className="detail" aria-label="Sample detail">
      <div className="detail-top">
        <button type="button" className="detail-image-button" title="Look at it large (Space)" onClick={onViewImage}>
          <img className={`detail-image${colour}`} src={imageUrl(id)} alt={`sample ${id}`} />
        </button>
        <div className="detail-facts">
          <div className="detail-id" title={detail?.path}>
            {id}
          </div>
          {detail ? (
            <>
              {detail.size && <div className="detail-size">{nativeSize(detail.size)}</div>}
              {detail.file && (
                <div className="detail-file" title={detail.file}>
                  {detail.file}
                </div>
              )}
              <div className="big">
                predicted <strong>{detail.predicted}</strong>{' '}
                {detail.flags & OTHER_BY_DISTANCE
                  ? 'for its distance from every known class'
                  : `at ${percent(detail.confidence)}`}
              </div>
              <div>
                {detail.split === 'train' ? 'training set' : 'review pool'} · given{' '}
                {detail.given === null ? (
                  <em>none</em>
                ) : (
                  <strong className={detail.given !== detail.predicted ? 'mismatch' : ''}>{detail.given}</strong>
                )}
              </div>
              <div>
                decision:{' '}
                {state ? (
                  state.action === 'skip' ? (
                    <em>skipped</em>
                  ) : (
                    <strong className="decision">
                      {state.label} ({state.action})
                    </strong>
                  )
                ) : (
                  <em>none yet</em>
                )}
              </div>
              <div className="badges">
                {doubtKinds(detail.flags).map((k) => (
                  <span key={k} className={`badge badge-${k}`}>
                    {DOUBT_WORDS[k]}
                  </span>
                ))}
              </div>
            </>
          ) : error ? (
            <p className="error-text" role="alert">
              Could not load this sample: {error}
            </p>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </div>
      </div>
      {detail && (
        <>
          <section aria-label="Verdicts">
            <ul className="verdicts">
              {detail.verdicts.map((v, i) => (
                <li key={i}>{v}</li>
              ))}
            </ul>
          </section>
          <section aria-label="Class probabilities">
            <h3>Probabilities</h3>
            <ProbBars
              classes={project.classes}
              probs={detail.probs}
              predicted={detail.predicted}
              given={detail.given}
            />
          </section>
          <section aria-label="Scores">
            <h3>Scores</h3>
            <ScoreTable detail={detail} />
          </section>
          <section aria-label="Nearest training samples">
            <h3>Nearest training samples</h3>
            <div className="neighbours">
              {detail.neighbours.map((n) => (
                <figure
                  key={n.id}
                  className={`neighbour${colour}`}
                  title={`${n.label} ${n.similarity.toFixed(2)} · ${n.id}`}
                >
                  <img src={imageUrl(n.id)} alt={`training sample labeled ${n.label}`} />
                  <figcaption>
                    <strong>{n.label}</strong> {n.similarity.toFixed(2)}
                  </figcaption>
                </figure>
              ))}
              {detail.neighbours.length === 0 && <p className="muted">No neighbours.</p>}
            </div>
          </section>
          {detail.duplicates.length > 0 && (
            <section aria-label="Duplicates">
              <h3>Duplicates</h3>
              <p className="muted small">{detail.duplicates.join(', ')}</p>
            </section>
          )}
        </>
      )}
    </aside>
  );
}

function ProbBars({
  classes,
  probs,
  predicted,
  given,
}: {
  classes: string[];
  probs: number[];
  predicted: string;
  given: string | null;
}) {
  const { rows, rest } = probRows(classes, probs, given);
  return (
    <table className="probs">
      <tbody>
        {rows.map((i) => {
          const c = classes[i]!;
          const p = probs[i] ?? 0;
          return (
            <tr key={c} className={c === predicted ? 'is-pred' : c === given ? 'is-given' : ''}>
              <th scope="row">{c}</th>
              <td className="bar-cell">
                <div className="bar" style={{ width: `${Math.max(0.5, p * 100)}%` }} />
              </td>
              <td className="num">{percent(p)}</td>
            </tr>
          );
        })}
        {rest && rest.count > 0 && (
          <tr className="muted">
            <th scope="row" colSpan={2}>
              {rest.count.toLocaleString()} more classes
            </th>
            <td className="num">{percent(rest.p)}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function ScoreTable({ detail }: { detail: SampleDetail }) {
  const s = detail.scores;
  const pc = detail.percentiles;
  const rows: [string, string, string][] = [
    // The contract's msp is a doubt score (1 - max probability): higher is less sure.
    ['Softmax doubt (1 − max p)', s.msp.toFixed(4), `${pc.msp.toFixed(0)}th pct of held-out`],
    ['Margin (top 2)', s.margin.toFixed(4), ''],
    ['Entropy', s.entropy.toFixed(3), ''],
    ['Energy', s.energy.toFixed(2), ''],
    ['kNN distance', s.knnDistance.toFixed(3), `${pc.knnDistance.toFixed(0)}th pct of held-out`],
    ['Dropout disagreement', s.mcDisagreement === null ? '—' : s.mcDisagreement.toFixed(3), ''],
    ['OOD score', s.oodScore.toFixed(3), `${pc.oodScore.toFixed(0)}th pct of held-out`],
    ['Label issue', s.labelIssue === null ? '—' : s.labelIssue.toFixed(3), ''],
    ['Review priority', s.reviewPriority.toFixed(3), ''],
  ];
  return (
    <table className="scores">
      <tbody>
        {rows.map(([k, v, note]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="num">{v}</td>
            <td className="muted">{note}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
