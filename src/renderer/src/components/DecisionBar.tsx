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

/** Every keyboard decision as a button too, with its key shown so the keys are learned by looking. */
export function DecisionBar(p: DecisionBarProps) {
  const target = p.selectedCount > 1 ? `${p.selectedCount} selected` : 'this sample';
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
        {p.labels
          .filter((l) => l !== OTHER_LABEL)
          .map((l) => {
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
