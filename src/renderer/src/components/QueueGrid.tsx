import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ProjectInfo } from '../../../shared/api';
import type { JournalFold } from '../../../shared/journal-fold';
import { itemAt } from '../../../shared/checked-index';
import type { QueueView } from '../queue/view';
import { scrollToReveal, visibleRange } from '../grid/windowing';
import { Tile } from './Tile';
import { SHEET_MAX } from '../../../shared/media';

export const TILE_W = 96;
export const TILE_H = 128;
const GAP = 6;
const CELL_W = TILE_W + GAP;
const CELL_H = TILE_H + GAP;
/** Faster than this (px/ms, ~90 rows/s) nobody can look at the tiles going by. */
const FAST_PX_PER_MS = 12;
/** How long after the last fast scroll step the images come in. */
const SETTLE_MS = 120;

export interface QueueGridProps {
  queue: QueueView;
  project: ProjectInfo;
  rows: Int32Array;
  fold: JournalFold;
  currentPos: number;
  selected: ReadonlySet<string>;
  sheetUrl: (ids: readonly string[]) => string;
  onPick: (id: string, pos: number, mods: { shift: boolean; toggle: boolean }) => void;
  onColumns: (columns: number) => void;
}

/**
 * The ranked queue as a windowed grid: the scroll area has the full height, but only
 * the rows in view are rendered, so 100,000 samples cost the same as 100.
 */
export function QueueGrid(p: QueueGridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ width: 800, height: 600 });
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef(0);
  // While the grid flies by, new tiles come without their images: each would be requested,
  // encoded by the main side, decoded and painted only to leave the screen a few frames
  // later, and that image pipeline (not layout or React) is what dropped frames. The images
  // come in as soon as scrolling slows or stops.
  const [fast, setFast] = useState(false);
  const last = useRef({ top: 0, at: 0 });
  const settle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** scrollTop the keyboard's reveal just set, so its scroll event is not taken for the user's. */
  const revealedTo = useRef<number | null>(null);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setBox({ width: el.clientWidth - GAP, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    // One state update per frame however fast the wheel spins.
    if (frame.current) return;
    frame.current = requestAnimationFrame((now) => {
      frame.current = 0;
      const el = scroller.current;
      if (!el) return;
      const top = el.scrollTop;
      const speed = Math.abs(top - last.current.top) / Math.max(1, now - last.current.at);
      last.current = { top, at: now };
      clearTimeout(settle.current);
      // Set on the element, not through React: toggling it must not re-render the grid. Not
      // for the keyboard's own reveal scroll: the mouse must stay able to click right after.
      if (revealedTo.current === null || Math.abs(top - revealedTo.current) >= 1) el.classList.add('scrolling');
      revealedTo.current = null;
      if (speed > FAST_PX_PER_MS) setFast(true);
      else setFast(false);
      settle.current = setTimeout(() => {
        setFast(false);
        el.classList.remove('scrolling');
      }, SETTLE_MS);
      // Quantised to whole rows: scrolling within a row renders nothing (the overscan rows cover the rest).
      setScrollTop(Math.floor(top / CELL_H) * CELL_H);
    });
  }, []);
  useEffect(
    () => () => {
      cancelAnimationFrame(frame.current);
      clearTimeout(settle.current);
    },
    [],
  );

  const range = visibleRange(
    { cellWidth: CELL_W, cellHeight: CELL_H, width: box.width, count: p.rows.length },
    scrollTop,
    box.height,
  );
  const { onColumns } = p;
  useEffect(() => onColumns(range.columns), [range.columns, onColumns]);

  // Keep the current tile in view when the keyboard moves it, before the frame is painted:
  // a click aimed at what is on screen must meet the tiles where they are drawn.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || p.currentPos < 0) return;
    const to = scrollToReveal(p.currentPos, range.columns, CELL_H, el.scrollTop, el.clientHeight);
    if (to !== null) {
      el.scrollTop = to;
      // Read back: the browser clamps at the ends.
      revealedTo.current = el.scrollTop;
      setScrollTop(Math.floor(to / CELL_H) * CELL_H);
    }
  }, [p.currentPos, range.columns]);

  const { queue, project, fold, rows } = p;
  // Thumbnails come in sheets of SHEET_MAX consecutive queue rows (not filtered positions):
  // a sample's sheet stays the same whatever the filter and however many are decided, so
  // what is loaded stays loaded.
  const sheets = new Map<number, string>();
  const sheetOf = (row: number) => {
    const first = row - (row % SHEET_MAX);
    let url = sheets.get(first);
    if (url === undefined) {
      url = p.sheetUrl(queue.ids.slice(first, first + SHEET_MAX));
      sheets.set(first, url);
    }
    return url;
  };
  const tiles = [];
  for (let pos = range.start; pos < range.end; pos++) {
    const row = rows[pos];
    const id = row === undefined ? undefined : queue.ids[row];
    if (row === undefined || id === undefined) continue;
    const g = itemAt(queue.given, row, 'queue labels');
    const s = fold.samples.get(id);
    const col = pos % range.columns;
    // Spread the leftover width between columns so the grid fills the pane.
    const cellW = Math.max(CELL_W, box.width / range.columns);
    const r = Math.floor(pos / range.columns);
    tiles.push(
      <Tile
        key={id}
        pos={pos}
        setSize={rows.length}
        id={id}
        sheet={sheetOf(row)}
        sheetIndex={row % SHEET_MAX}
        imageAspect={project.image ? project.image.height / project.image.width : 1}
        showImage={!fast}
        predicted={project.classes[itemAt(queue.predicted, row, 'queue predictions')] ?? '?'}
        confidence={itemAt(queue.confidence, row, 'queue confidences')}
        flags={itemAt(queue.flags, row, 'queue flags')}
        given={g >= 0 ? (project.labels[g] ?? null) : (queue.foreignGiven?.get(row) ?? null)}
        decisionLabel={s?.label ?? null}
        decisionAction={s?.action ?? null}
        current={pos === p.currentPos}
        selected={p.selected.has(id)}
        left={GAP + col * cellW}
        top={GAP + r * CELL_H}
        width={TILE_W}
        height={TILE_H}
        onPick={p.onPick}
      />,
    );
  }

  return (
    <div
      ref={scroller}
      className="grid-scroller"
      role="listbox"
      aria-label="Review queue"
      aria-multiselectable="true"
      aria-activedescendant={
        p.currentPos >= range.start && p.currentPos < range.end ? `tile-${p.currentPos}` : undefined
      }
      tabIndex={0}
      onScroll={onScroll}
    >
      <div className="grid-canvas" style={{ height: range.totalHeight + GAP }}>
        {tiles}
      </div>
      {rows.length === 0 && <p className="empty">Nothing matches these filters.</p>}
    </div>
  );
}
