// One key per decision. Command keys are fixed so muscle memory carries across
// datasets; class keys are derived from the class names and never take a command key.
import { OTHER_LABEL } from '../../../shared/api.js';

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
  | { type: 'findClass' }
  | { type: 'clearSelection' }
  /** Space: the current sample's image large, over the grid (decision keys still work). */
  | { type: 'view' }
  | { type: 'retrain' }
  | { type: 'export' }
  | { type: 'insights' }
  | { type: 'help' };

/**
 * Every key binding, once: commandForKey reads it, the help overlay lists it and the
 * decision bar's buttons are made from the rows that have a `button`.
 */
export interface KeyBinding {
  /** KeyboardEvent.key values; the first is the one a button shows. */
  /** At least one: the first is the one buttons show. */
  keys: readonly [string, ...string[]];
  /** How the help writes the keys, when not simply the keys joined with ' / '. */
  shown?: string;
  help: string;
  command: (key: string, shift: boolean) => Command;
  /** A decision-bar button: its text and accessible name. */
  button?: { text: string; name: string };
}

const fixed = (cmd: Command) => (): Command => cmd;
const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};
const move = (key: string, shift: boolean): Command => {
  const [dx, dy] = ARROWS[key] ?? [0, 0];
  return { type: 'move', dx, dy, extend: shift };
};

export const KEYMAP: readonly KeyBinding[] = [
  { keys: ['o'], help: 'other (none of the known classes)', command: fixed({ type: 'other' }) },
  {
    keys: ['Enter'],
    help: 'accept the prediction',
    command: fixed({ type: 'accept' }),
    button: { text: 'accept prediction', name: 'Accept prediction' },
  },
  {
    keys: ['a'],
    help: 'keep the given label',
    command: fixed({ type: 'keep' }),
    button: { text: 'keep given', name: 'Keep given label' },
  },
  {
    keys: ['s'],
    help: 'skip (recorded as seen) and go on',
    command: fixed({ type: 'skip' }),
    button: { text: 'skip', name: 'Skip' },
  },
  {
    keys: ['ArrowRight'],
    shown: '→',
    help: 'skip a sample still to review; on a decided one, just move on (Shift+→ extends the selection)',
    command: (key, shift) => (shift ? move(key, shift) : { type: 'skipOrMove' }),
  },
  {
    keys: ['z', 'Backspace'],
    help: 'undo the last decision (the whole batch)',
    command: fixed({ type: 'undo' }),
    button: { text: 'undo', name: 'Undo' },
  },
  {
    keys: ['ArrowLeft', 'ArrowUp', 'ArrowDown'],
    shown: '← ↑ ↓',
    help: 'move; with Shift, extend the selection',
    command: move,
  },
  {
    keys: ['Home', 'End'],
    shown: 'Home / End',
    help: 'first / last sample',
    command: (key) => ({ type: key === 'Home' ? 'home' : 'end' }),
  },
  {
    keys: ['m'],
    help: 'select samples similar to this one',
    command: fixed({ type: 'selectSimilar' }),
    button: { text: 'select similar', name: 'Select similar' },
  },
  {
    keys: ['/'],
    help: 'find a class by name and relabel as it (for classes without a key)',
    command: fixed({ type: 'findClass' }),
    button: { text: 'find class', name: 'Find class' },
  },
  {
    keys: [' '],
    shown: 'Space',
    help: 'look at the image large (Space or Esc again to close)',
    command: fixed({ type: 'view' }),
  },
  {
    keys: ['Escape', 'x'],
    shown: 'Esc / x',
    help: 'close the large image, else clear the selection',
    command: fixed({ type: 'clearSelection' }),
  },
  { keys: ['R'], shown: 'Shift+R', help: 'retrain on the corrected labels', command: fixed({ type: 'retrain' }) },
  { keys: ['E'], shown: 'Shift+E', help: 'export the corrected dataset', command: fixed({ type: 'export' }) },
  { keys: ['i'], help: 'insights (confusion, score histograms)', command: fixed({ type: 'insights' }) },
  { keys: ['?'], help: 'this help', command: fixed({ type: 'help' }) },
];

/** Help rows for the mouse, which has no binding to read them from. */
export const MOUSE_HELP: readonly [string, string][] = [
  ['click, Shift+click, Ctrl+click', 'select one, a range, toggle one'],
];

/** How the help writes a binding's keys. */
export function shownKeys(b: KeyBinding): string {
  return b.shown ?? b.keys.join(' / ');
}

/** Lower-case letters the app uses for commands; a class never gets one of these. */
export const COMMAND_LETTERS: ReadonlySet<string> = new Set(
  KEYMAP.flatMap((b) => b.keys).filter((k) => /^[a-z]$/.test(k)),
);

const BY_KEY = new Map(KEYMAP.flatMap((b) => b.keys.map((k) => [k, b] as const)));

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
  const binding = BY_KEY.get(e.key);
  if (binding) return binding.command(e.key, !!e.shiftKey);
  // Class keys are lower-case: upper-case letters stay reserved for heavier commands.
  for (const [label, key] of classKeys) if (key === e.key) return { type: 'relabel', label };
  return null;
}

/**
 * What to tell a reviewer who pressed a character key that means nothing here (a digit on a
 * dataset whose classes have letter keys), or null for keys that are bound, modified or not
 * characters at all.
 */
export function unboundKeyHint(e: KeyLike, classKeys: ReadonlyMap<string, string>): string | null {
  if (e.ctrlKey || e.metaKey || e.altKey || [...e.key].length !== 1 || e.key.trim() === '') return null;
  if (commandForKey(e, classKeys)) return null;
  return `"${e.key}" is not a key here: the decision bar shows each class's key, and ? lists them all.`;
}
