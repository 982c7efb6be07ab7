import { useId } from 'react';
import type { UnsureBridge } from '../../../shared/api';
import type { ChoosePathPurpose } from '../../../shared/ipc-channels';

/** PathField's `choose` for a purpose: the desktop bridge's native dialog (a failed one chooses nothing); none in a browser. */
export function chooserFor(
  bridge: UnsureBridge,
  purpose: ChoosePathPurpose,
): (() => Promise<string | null>) | undefined {
  return bridge.choosePath ? () => bridge.choosePath!(purpose).catch(() => null) : undefined;
}

/**
 * A labelled path input; in the desktop app also a "Browse…" button that fills it from the
 * native dialog (`choose`, absent in browser mode, where a page cannot see local paths).
 */
export function PathField({
  label,
  value,
  onChange,
  placeholder,
  choose,
  inputLabel,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder: string;
  choose?: () => Promise<string | null>;
  /** The input's accessible name where it differs from the visible label. */
  inputLabel?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="path-row">
        <input
          id={id}
          aria-label={inputLabel}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder={placeholder}
          spellCheck={false}
        />
        {choose && (
          <button
            type="button"
            aria-label={`Browse for ${inputLabel ?? label}`}
            onClick={() => void choose().then((p) => p && onChange(p))}
          >
            Browse…
          </button>
        )}
      </div>
    </div>
  );
}
