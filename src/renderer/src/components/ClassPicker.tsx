import { useState } from 'react';
import { matchClasses } from '../keys/match-classes';
import { Dialog } from './Dialog';

/** How many matches the list shows; the rest are a few more letters away. */
const SHOWN = 12;

/** "Relabel as": type part of a class name, arrows to choose, Enter to decide (keys: `/`). */
export function ClassPicker({
  labels,
  classKeys,
  target,
  onPick,
  onClose,
}: {
  labels: readonly string[];
  classKeys: ReadonlyMap<string, string>;
  /** Whom the decision is for, e.g. "this sample" or "12 selected". */
  target: string;
  onPick: (label: string) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const matches = matchClasses(labels, query);
  const shown = matches.slice(0, SHOWN);
  const current = Math.min(active, Math.max(0, shown.length - 1));
  return (
    <Dialog title="Relabel as" onClose={onClose}>
      <p className="muted small">For {target}: type part of a class name, ↑ ↓ to choose, Enter to decide.</p>
      <input
        className="class-search"
        aria-label="Class name"
        role="combobox"
        aria-expanded="true"
        aria-controls="class-matches"
        aria-activedescendant={shown.length ? `class-match-${current}` : undefined}
        value={query}
        spellCheck={false}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((current + step + shown.length) % Math.max(1, shown.length));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const pick = shown[current];
            if (pick !== undefined) onPick(pick);
          }
        }}
      />
      <ul id="class-matches" className="class-matches" role="listbox" aria-label="Matching classes">
        {shown.map((label, i) => (
          <li
            key={label}
            id={`class-match-${i}`}
            role="option"
            aria-selected={i === current}
            className={i === current ? 'active' : undefined}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(label)}
          >
            {label}
            {classKeys.get(label) && <kbd>{classKeys.get(label)}</kbd>}
          </li>
        ))}
      </ul>
      {shown.length === 0 && <p className="muted">No class matches “{query}”.</p>}
      {matches.length > shown.length && (
        <p className="muted small">{(matches.length - shown.length).toLocaleString()} more: type more of the name.</p>
      )}
    </Dialog>
  );
}
