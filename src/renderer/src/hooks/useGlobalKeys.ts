import { useEffect } from 'react';
import { commandForKey, unboundKeyHint, type Command } from '../keys/keymap';
import { useLatest } from './useLatest';

/**
 * The window's key handler, registered once: it reads the command runner, the open dialog
 * and the class keys through refs updated in a layout effect (useLatest), so a key pressed
 * right after a render meets the state on screen.
 */
export function useGlobalKeys(
  run: (cmd: Command) => void,
  dialogOpen: boolean,
  classKeys: ReadonlyMap<string, string>,
  /** Told what to say when a character key means nothing here. */
  onHint: (text: string) => void,
): void {
  const runRef = useLatest(run);
  const hintRef = useLatest(onHint);
  const dialogRef = useLatest(dialogOpen);
  const keysRef = useLatest(classKeys);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogRef.current || e.defaultPrevented || e.isComposing) return;
      const t = e.target as HTMLElement | null;
      if (
        t &&
        (t.closest('input, textarea, select, [contenteditable="true"]') ||
          (t.closest('button, a') && (e.key === 'Enter' || e.key === ' ')))
      )
        return;
      const cmd = commandForKey(e, keysRef.current);
      if (!cmd) {
        const hint = unboundKeyHint(e, keysRef.current);
        if (hint) hintRef.current(hint);
        return;
      }
      e.preventDefault();
      runRef.current(cmd);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialogRef, keysRef, runRef, hintRef]);
}
