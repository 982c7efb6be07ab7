import { OTHER_BY_DISTANCE, type ProjectInfo, type SampleDetail } from '../../../shared/api';
import { nativeSize, percent } from '../queue/describe';

/**
 * The current sample's original file as large as the grid's area allows (Space): a product
 * photo at 168 px hides what decides its label. Not a dialog, so the decision keys and the
 * arrows keep working and the image follows the current sample.
 */
export function BigView({
  project,
  id,
  detail,
  imageUrl,
  onClose,
}: {
  project: ProjectInfo;
  id: string;
  detail: SampleDetail | null;
  imageUrl: (id: string) => string;
  onClose: () => void;
}) {
  const colour = project.image?.channels === 3 ? ' colour' : '';
  const facts = detail && [
    `predicted ${detail.predicted}${detail.flags & OTHER_BY_DISTANCE ? ' (far)' : ` at ${percent(detail.confidence)}`}`,
    `given ${detail.given ?? 'none'}`,
    detail.size && nativeSize(detail.size),
    detail.file,
  ];
  return (
    <section className="big-view" aria-label="Large image">
      <img className={`big-view-image${colour}`} src={imageUrl(id)} alt={`sample ${id}, large`} />
      <footer className="big-view-facts">
        <span>{facts ? facts.filter(Boolean).join(' · ') : 'Loading…'}</span>
        <button type="button" onClick={onClose}>
          Close (Space)
        </button>
      </footer>
    </section>
  );
}
