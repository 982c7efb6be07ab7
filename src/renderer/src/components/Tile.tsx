import { memo, useState } from 'react';
import {
  certainty,
  doubtKinds,
  DOUBT_SHORT,
  DOUBT_WORDS,
  fileKinds,
  FILE_SHORT,
  FILE_WORDS,
  tileName,
} from '../queue/describe';
import { thumbBox } from '../grid/thumb';

export interface TileProps {
  pos: number;
  setSize: number;
  id: string;
  /** The thumbnail sheet holding this sample (shared/media.ts) and its place in it. */
  sheet: string;
  sheetIndex: number;
  /** The stored image's height over its width (1 for 28 x 28 digits and square colour previews). */
  imageAspect: number;
  /** False while the grid scrolls too fast to look: a tile that never showed its image waits. */
  showImage: boolean;
  predicted: string;
  confidence: number;
  flags: number;
  given: string | null;
  decisionLabel: string | null;
  /** null when the sample has no journal entry in effect. */
  decisionAction: string | null;
  current: boolean;
  selected: boolean;
  left: number;
  top: number;
  width: number;
  height: number;
  onPick: (id: string, pos: number, mods: { shift: boolean; toggle: boolean }) => void;
}

export const Tile = memo(function Tile(p: TileProps) {
  // Once shown, the image stays (a tile already on screen does not blank when a fling starts).
  const [imageShown, setImageShown] = useState(p.showImage);
  if (p.showImage && !imageShown) setImageShown(true);
  const kinds = doubtKinds(p.flags);
  const files = fileKinds(p.flags);
  const decision = p.decisionAction ? { label: p.decisionLabel, action: p.decisionAction } : null;
  const mismatch = p.given !== null && p.given !== p.predicted;
  // A tile that came in during a fling is a bare frame (its grey square drawn by CSS) until
  // the grid slows down: a screenful of them a frame is what flinging costs, and one element
  // each lays out and paints in a fraction of the full tile's dozen. The accessible name is
  // there all along.
  const light = !imageShown;
  const thumb = thumbBox(p.imageAspect, p.sheetIndex);
  return (
    <div
      id={`tile-${p.pos}`}
      role="option"
      aria-selected={p.selected || p.current}
      aria-current={p.current ? 'true' : undefined}
      aria-setsize={p.setSize}
      aria-posinset={p.pos + 1}
      aria-label={tileName({ ...p, decision })}
      data-id={p.id}
      className={`tile${light ? ' light' : ''}${p.current ? ' current' : ''}${p.selected ? ' selected' : ''}${decision ? ` decided-${decision.action}` : ''}`}
      style={{ left: p.left, top: p.top, width: p.width, height: p.height }}
      onMouseDown={(e) => {
        // Keep shift-click from selecting page text.
        if (e.shiftKey) e.preventDefault();
      }}
      onClick={(e) => p.onPick(p.id, p.pos, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey })}
    >
      {!light && (
        <div
          className="tile-img"
          style={{
            width: thumb.width,
            height: thumb.height,
            backgroundImage: `url("${p.sheet}")`,
            backgroundSize: thumb.backgroundSize,
            backgroundPosition: thumb.backgroundPosition,
          }}
        />
      )}
      {!light && decision && (
        <span className={`tile-decision${decision.action === 'skip' ? ' skipped' : ''}`}>
          {decision.action === 'skip' ? 'skipped' : `→ ${decision.label}`}
        </span>
      )}
      {!light && (
        <>
          <div className="tile-badges">
            {kinds.map((k) => (
              <span key={k} className={`badge badge-${k}`} title={DOUBT_WORDS[k]}>
                {DOUBT_SHORT[k]}
              </span>
            ))}
            {files.map((k) => (
              <span key={k} className={`badge badge-${k}`} title={FILE_WORDS[k]}>
                {FILE_SHORT[k]}
              </span>
            ))}
          </div>
          <div className="tile-line">
            <span className="tile-pred">{p.predicted}</span>
            <span className="tile-conf">{certainty(p.confidence, p.flags)}</span>
          </div>
          <div className="tile-line">
            {p.given !== null ? (
              <span className={mismatch ? 'tile-given mismatch' : 'tile-given'}>given {p.given}</span>
            ) : (
              <span className="muted">unlabeled</span>
            )}
          </div>
        </>
      )}
    </div>
  );
});
