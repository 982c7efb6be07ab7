import { useCallback, useState } from 'react';
import { moveIndex } from '../grid/windowing';
import type { QueueView } from '../queue/view';
import { useLatest } from './useLatest';

export interface PickMods {
  shift: boolean;
  toggle: boolean;
}

export interface Selection {
  /** Position of the current sample in `rows`; -1 when nothing is shown. */
  currentPos: number;
  /** The current sample: the one picked if still shown, else the first shown. */
  effectiveId: string | null;
  selected: ReadonlySet<string>;
  setSelected: (s: ReadonlySet<string>) => void;
  setCurrentId: (id: string | null) => void;
  setAnchor: (pos: number | null) => void;
  setColumns: (n: number) => void;
  idAt: (pos: number) => string | null;
  /** The grid's click handler; it never changes, so a pick re-renders only the tiles it changes. */
  onPick: (id: string, pos: number, mods: PickMods) => void;
  /** The samples a decision applies to: the selection, or else the current one. */
  targetIds: () => string[];
  /** The nearest shown sample after (else before) the current one that is not in `exclude`. */
  nextAfter: (exclude: ReadonlySet<string>) => string | null;
  moveBy: (dx: number, dy: number, extend: boolean) => void;
  /** A different project starts from a clean view (call while rendering). */
  reset: () => void;
}

/** The current sample, the multi-selection and its anchor, over the rows the grid shows. */
export function useSelection(
  queue: QueueView | null,
  rows: Int32Array,
  idToRow: ReadonlyMap<string, number>,
): Selection {
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [columns, setColumns] = useState(1);

  // The current sample is kept by id so it survives re-ranking and filter changes.
  const currentRow = currentId !== null ? idToRow.get(currentId) : undefined;
  const foundPos = currentRow !== undefined ? rows.indexOf(currentRow) : -1;
  const currentPos = foundPos >= 0 ? foundPos : rows.length > 0 ? 0 : -1;
  const idAt = useCallback(
    (pos: number): string | null => {
      const row = queue ? rows[pos] : undefined;
      return row === undefined ? null : (queue?.ids[row] ?? null);
    },
    [queue, rows],
  );
  const effectiveId = idAt(currentPos);

  const rangeSet = useCallback(
    (a: number, b: number) => {
      const s = new Set<string>();
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
        const id = idAt(i);
        if (id) s.add(id);
      }
      return s;
    },
    [idAt],
  );

  const onPick = useCallback(
    (id: string, pos: number, mods: PickMods) => {
      if (mods.shift) {
        setSelected(rangeSet(anchor ?? currentPos, pos));
      } else if (mods.toggle) {
        setSelected((prev) => {
          const s = new Set(prev);
          if (s.size === 0 && effectiveId) s.add(effectiveId);
          if (s.has(id)) s.delete(id);
          else s.add(id);
          return s;
        });
        setAnchor(pos);
      } else {
        setSelected(new Set());
        setAnchor(pos);
      }
      setCurrentId(id);
    },
    [anchor, currentPos, effectiveId, rangeSet],
  );

  // The grid gets a handler that never changes, so a decision (which changes the anchor and
  // the current sample) does not re-render every visible tile, only the ones it changes.
  const onPickRef = useLatest(onPick);
  const stableOnPick = useCallback(
    (id: string, pos: number, mods: PickMods) => onPickRef.current(id, pos, mods),
    [onPickRef],
  );

  const targetIds = useCallback((): string[] => {
    if (selected.size > 1) return [...selected];
    return effectiveId ? [effectiveId] : [];
  }, [selected, effectiveId]);

  const nextAfter = useCallback(
    (exclude: ReadonlySet<string>): string | null => {
      for (let i = currentPos + 1; i < rows.length; i++) {
        const id = idAt(i);
        if (id && !exclude.has(id)) return id;
      }
      for (let i = currentPos - 1; i >= 0; i--) {
        const id = idAt(i);
        if (id && !exclude.has(id)) return id;
      }
      return null;
    },
    [currentPos, rows, idAt],
  );

  const moveBy = useCallback(
    (dx: number, dy: number, extend: boolean) => {
      const pos = moveIndex(currentPos, dx, dy, columns, rows.length);
      const id = idAt(pos);
      if (!id) return;
      if (extend) {
        const a = anchor ?? currentPos;
        setAnchor(a);
        setSelected(rangeSet(a, pos));
      } else {
        setSelected(new Set());
        setAnchor(pos);
      }
      setCurrentId(id);
    },
    [currentPos, columns, rows, idAt, anchor, rangeSet],
  );

  const reset = () => {
    setCurrentId(null);
    setSelected(new Set());
    setAnchor(null);
  };

  return {
    currentPos,
    effectiveId,
    selected,
    setSelected,
    setCurrentId,
    setAnchor,
    setColumns,
    idAt,
    onPick: stableOnPick,
    targetIds,
    nextAfter,
    moveBy,
    reset,
  };
}
