import { OTHER_LABEL } from '../../../shared/api';
import { KEYMAP, type Command } from '../keys/keymap';
import { keepFocus } from './keep-focus';

export interface DecisionBarProps {
  labels: string[];
  classKeys: ReadonlyMap<string, string>;
  selectedCount: number;
  disabled: boolean;
  canUndo: boolean;
  /** Runs a command as its key would. */
  onCommand: (cmd: Command) => void;
}

/** The keymap's rows that are buttons here, with the key each shows. */
const BUTTONS = KEYMAP.flatMap(({ keys: [key], button, command }) =>
  button ? [{ key, button, command: command(key, false) }] : [],
);

function Key({ k }: { k: string }) {
  return <kbd>{k}</kbd>;
}

/** Whom a decision is for: "this sample", or "12 selected". */
export function decisionTarget(selectedCount: number): string {
  return selectedCount > 1 ? `${selectedCount.toLocaleString()} selected` : 'this sample';
}

/** Classes past this many are not each a button (they wrap over the grid): `/` finds them. */
export const CLASS_BUTTONS_MAX = 20;

/** Every keyboard decision as a button too, with its key shown so the keys are learned by looking. */
export function DecisionBar(p: DecisionBarProps) {
  const target = decisionTarget(p.selectedCount);
  const classes = p.labels.filter((l) => l !== OTHER_LABEL);
  return (
    <div className="decision-bar" role="toolbar" aria-label="Decide" onMouseDown={keepFocus}>
      <div className="decision-target">
        Decide for <strong>{target}</strong>
        {p.selectedCount > 1 && (
          <button type="button" className="link" onClick={() => p.onCommand({ type: 'clearSelection' })}>
            clear selection <Key k="Esc" />
          </button>
        )}
      </div>
      <div className="class-keys">
        {classes.length > CLASS_BUTTONS_MAX && (
          <span className="muted small">
            {classes.length} classes: <Key k="/" /> finds one by name; the keyed ones are in the help (<Key k="?" />)
          </span>
        )}
        {classes.length <= CLASS_BUTTONS_MAX &&
          classes.map((l) => {
            const key = p.classKeys.get(l);
            return (
              <button
                key={l}
                type="button"
                disabled={p.disabled}
                aria-label={`Label as ${l}`}
                aria-keyshortcuts={key}
                onClick={() => p.onCommand({ type: 'relabel', label: l })}
              >
                {key === l ? (
                  <Key k={l} />
                ) : (
                  <>
                    {key && <Key k={key} />} {l}
                  </>
                )}
              </button>
            );
          })}
        <button
          type="button"
          className="other"
          disabled={p.disabled}
          aria-label="Other"
          aria-keyshortcuts="o"
          onClick={() => p.onCommand({ type: 'other' })}
        >
          <Key k="o" /> other
        </button>
      </div>
      <div className="commands">
        {BUTTONS.map((b) => (
          <button
            key={b.key}
            type="button"
            disabled={b.command.type === 'undo' ? !p.canUndo : p.disabled}
            aria-label={b.button.name}
            aria-keyshortcuts={b.key}
            onClick={() => p.onCommand(b.command)}
          >
            <Key k={b.key} /> {b.button.text}
          </button>
        ))}
      </div>
    </div>
  );
}
