import { OTHER_LABEL } from '../../../shared/api';
import { keepFocus } from './keep-focus';

export interface DecisionBarProps {
  labels: string[];
  classKeys: ReadonlyMap<string, string>;
  selectedCount: number;
  disabled: boolean;
  canUndo: boolean;
  onRelabel: (label: string) => void;
  onOther: () => void;
  onAccept: () => void;
  onKeep: () => void;
  onSkip: () => void;
  onUndo: () => void;
  onSelectSimilar: () => void;
  onClearSelection: () => void;
}

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
          <button type="button" className="link" onClick={p.onClearSelection}>
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
                onClick={() => p.onRelabel(l)}
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
          onClick={p.onOther}
        >
          <Key k="o" /> other
        </button>
      </div>
      <div className="commands">
        <button
          type="button"
          disabled={p.disabled}
          aria-label="Accept prediction"
          aria-keyshortcuts="Enter"
          onClick={p.onAccept}
        >
          <Key k="Enter" /> accept prediction
        </button>
        <button
          type="button"
          disabled={p.disabled}
          aria-label="Keep given label"
          aria-keyshortcuts="a"
          onClick={p.onKeep}
        >
          <Key k="a" /> keep given
        </button>
        <button type="button" disabled={p.disabled} aria-label="Skip" aria-keyshortcuts="s" onClick={p.onSkip}>
          <Key k="s" /> skip
        </button>
        <button type="button" disabled={!p.canUndo} aria-label="Undo" aria-keyshortcuts="z" onClick={p.onUndo}>
          <Key k="z" /> undo
        </button>
        <button
          type="button"
          disabled={p.disabled}
          aria-label="Select similar"
          aria-keyshortcuts="m"
          onClick={p.onSelectSimilar}
        >
          <Key k="m" /> select similar
        </button>
      </div>
    </div>
  );
}
