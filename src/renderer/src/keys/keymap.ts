// One key per decision. Command keys are fixed so muscle memory carries across
// datasets; class keys are derived from the class names and never take a command key.
import { OTHER_LABEL } from '../../../shared/api.js';

/** Lower-case letters the app uses for commands; a class never gets one of these. */
export const COMMAND_LETTERS: ReadonlySet<string> = new Set(['a', 'o', 's', 'z', 'm', 'i', 'x']);

export type Command =
  | { type: 'relabel'; label: string }
  | { type: 'other' }
  | { type: 'accept' }
  | { type: 'keep' }
  | { type: 'skip' }
  /** The right arrow: skips a sample still to be reviewed, else just moves right (see App). */
  | { type: 'skipOrMove' }
  | { type: 'undo' }
  | { type: 'move'; dx: number; dy: number; extend: boolean }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'selectSimilar' }
  | { type: 'clearSelection' }
  | { type: 'retrain' }
  | { type: 'export' }
  | { type: 'insights' }
  | { type: 'help' };

export interface KeyLike {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/**
 * Assigns a key to every label except 'other' (which is always `o`). A class named by a
 * single digit or letter gets that key; otherwise the first free letter of its name,
 * then a free digit, then any free letter. Labels beyond the available keys get none
 * (they stay reachable with the mouse).
 */
export function assignClassKeys(labels: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  const used = new Set<string>(COMMAND_LETTERS);
  const pending: string[] = [];
  for (const label of labels) {
    if (label === OTHER_LABEL) continue;
    const k = label.toLowerCase();
    if (k.length === 1 && /[0-9a-z]/.test(k) && !used.has(k)) {
      keys.set(label, k);
      used.add(k);
    } else pending.push(label);
  }
  const digits = '1234567890'.split('');
  const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
  for (const label of pending) {
    const fromName = label
      .toLowerCase()
      .split('')
      .filter((c) => /[a-z0-9]/.test(c));
    const pick = [...fromName, ...digits, ...letters].find((c) => !used.has(c));
    if (pick === undefined) continue;
    keys.set(label, pick);
    used.add(pick);
  }
  return keys;
}

/** Maps a key press to a command, or null when the key means nothing here. */
export function commandForKey(e: KeyLike, classKeys: ReadonlyMap<string, string>): Command | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const extend = !!e.shiftKey;
  switch (e.key) {
    case 'Enter':
      return { type: 'accept' };
    case 'Backspace':
      return { type: 'undo' };
    case 'ArrowRight':
      return extend ? { type: 'move', dx: 1, dy: 0, extend } : { type: 'skipOrMove' };
    case 'ArrowLeft':
      return { type: 'move', dx: -1, dy: 0, extend };
    case 'ArrowDown':
      return { type: 'move', dx: 0, dy: 1, extend };
    case 'ArrowUp':
      return { type: 'move', dx: 0, dy: -1, extend };
    case 'Home':
      return { type: 'home' };
    case 'End':
      return { type: 'end' };
    case 'Escape':
      return { type: 'clearSelection' };
    case '?':
      return { type: 'help' };
    case 'R':
      return { type: 'retrain' };
    case 'E':
      return { type: 'export' };
  }
  if (e.key.length !== 1) return null;
  // Upper-case letters are reserved for the heavier commands above.
  if (e.key !== e.key.toLowerCase()) return null;
  switch (e.key) {
    case 'o':
      return { type: 'other' };
    case 'a':
      return { type: 'keep' };
    case 's':
      return { type: 'skip' };
    case 'z':
      return { type: 'undo' };
    case 'm':
      return { type: 'selectSimilar' };
    case 'i':
      return { type: 'insights' };
    case 'x':
      return { type: 'clearSelection' };
  }
  for (const [label, key] of classKeys) if (key === e.key) return { type: 'relabel', label };
  return null;
}
