// Windowing for the thumbnail grid: fixed-size tiles mean every position is arithmetic,
// so only the rows in view (plus a little overscan) are ever in the DOM, whatever the
// number of samples.

export interface GridGeometry {
  /** Tile edge plus the gap after it. */
  cellWidth: number;
  cellHeight: number;
  /** Usable width of the scroll area. */
  width: number;
  count: number;
}

export function columnsFor(g: Pick<GridGeometry, 'cellWidth' | 'width'>): number {
  return Math.max(1, Math.floor(g.width / g.cellWidth));
}

export function rowCountFor(count: number, columns: number): number {
  return Math.ceil(count / columns);
}

export interface WindowRange {
  columns: number;
  rows: number;
  totalHeight: number;
  /** First and last (exclusive) row to render. */
  firstRow: number;
  endRow: number;
  /** Item index range [start, end). */
  start: number;
  end: number;
}

export function visibleRange(
  g: GridGeometry,
  scrollTop: number,
  viewportHeight: number,
  overscanRows = 2,
): WindowRange {
  const columns = columnsFor(g);
  const rows = rowCountFor(g.count, columns);
  const totalHeight = rows * g.cellHeight;
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, totalHeight - viewportHeight)));
  const firstRow = Math.max(0, Math.floor(top / g.cellHeight) - overscanRows);
  const endRow = Math.min(rows, Math.ceil((top + viewportHeight) / g.cellHeight) + overscanRows);
  return {
    columns,
    rows,
    totalHeight,
    firstRow,
    endRow,
    start: Math.min(g.count, firstRow * columns),
    end: Math.min(g.count, endRow * columns),
  };
}

/** Index reached by moving dx columns / dy rows from `index`, clamped to the list. */
export function moveIndex(index: number, dx: number, dy: number, columns: number, count: number): number {
  if (count === 0) return -1;
  if (index < 0) return 0;
  const next = index + dx + dy * columns;
  return Math.max(0, Math.min(count - 1, next));
}

/**
 * The scrollTop that brings item `index` fully into view, or null when it already is
 * (so keyboard movement only scrolls when it has to).
 */
export function scrollToReveal(
  index: number,
  columns: number,
  cellHeight: number,
  scrollTop: number,
  viewportHeight: number,
): number | null {
  const row = Math.floor(index / columns);
  const top = row * cellHeight;
  const bottom = top + cellHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return null;
}
