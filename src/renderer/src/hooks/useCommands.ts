import { useCallback } from 'react';
import type { Decision } from '../journal/decide';
import type { Command } from '../keys/keymap';
import type { JournalFold } from '../../../shared/journal-fold';
import type { Selection } from './useSelection';

export type DialogName = 'open' | 'export' | 'insights' | 'help' | 'prefs' | 'findClass' | null;

export interface CommandsInput {
  selection: Selection;
  rowCount: number;
  fold: JournalFold;
  ready: boolean;
  decide: (d: Decision) => Promise<void>;
  undo: () => Promise<void>;
  selectSimilar: () => Promise<void>;
  startRetrain: () => Promise<void>;
  setDialog: (d: DialogName) => void;
  /** Whether the large image is up, and the switch for it. */
  bigView: boolean;
  setBigView: (open: boolean) => void;
}

/** What each keymap command does: one runner for the keys and the decision bar's buttons. */
export function useCommands({
  selection,
  rowCount,
  fold,
  ready,
  decide,
  undo,
  selectSimilar,
  startRetrain,
  setDialog,
  bigView,
  setBigView,
}: CommandsInput): (cmd: Command) => void {
  const { selected, effectiveId, moveBy, idAt, setCurrentId, setSelected } = selection;
  return useCallback(
    (cmd: Command) => {
      switch (cmd.type) {
        case 'relabel':
          return void decide({ action: 'relabel', label: cmd.label });
        case 'other':
          return void decide({ action: 'other' });
        case 'accept':
          return void decide({ action: 'accept' });
        case 'keep':
          return void decide({ action: 'keep' });
        case 'skip':
          return void decide({ action: 'skip' });
        case 'skipOrMove':
          // Skipping records "seen, no decision": for a sample already decided (or a multi-sample
          // selection, which the arrow should not decide for) the arrow only moves on.
          if (selected.size <= 1 && effectiveId && !fold.samples.get(effectiveId)) {
            return void decide({ action: 'skip' });
          }
          return moveBy(1, 0, false);
        case 'undo':
          return void undo();
        case 'move':
          return moveBy(cmd.dx, cmd.dy, cmd.extend);
        case 'home':
        case 'end': {
          const id = idAt(cmd.type === 'home' ? 0 : rowCount - 1);
          if (id) setCurrentId(id);
          return;
        }
        case 'selectSimilar':
          return void selectSimilar();
        case 'findClass':
          if (effectiveId || selected.size > 0) setDialog('findClass');
          return;
        case 'view':
          // Opening it pins the sample: a re-ranking must not swap the image being looked at.
          if (!bigView && effectiveId) setCurrentId(effectiveId);
          if (effectiveId || bigView) setBigView(!bigView);
          return;
        case 'clearSelection':
          if (bigView) return setBigView(false);
          setSelected(new Set());
          return;
        case 'retrain':
          return void startRetrain();
        case 'export':
          if (ready) setDialog('export');
          return;
        case 'insights':
          if (ready) setDialog('insights');
          return;
        case 'help':
          setDialog('help');
          return;
      }
    },
    [
      decide,
      undo,
      moveBy,
      selected,
      effectiveId,
      fold,
      rowCount,
      idAt,
      selectSimilar,
      startRetrain,
      ready,
      setCurrentId,
      setSelected,
      setDialog,
      bigView,
      setBigView,
    ],
  );
}
