import { useEffect } from 'react';
import type { RendererBridge } from '../bridge';
import type { Command } from '../keys/keymap';
import type { DialogName } from './useCommands';
import { useLatest } from './useLatest';

/** The desktop menu's Open, Export and Retrain: the same dialogs and panel as the keys and buttons. */
export function useMenuCommands(
  bridge: RendererBridge,
  run: (cmd: Command) => void,
  setDialog: (d: DialogName) => void,
): void {
  const runRef = useLatest(run);
  useEffect(
    () =>
      bridge.onEvent((e) => {
        if (e.type !== 'menu') return;
        if (e.command === 'open') setDialog('open');
        else runRef.current({ type: e.command });
      }),
    [bridge, runRef, setDialog],
  );
}
