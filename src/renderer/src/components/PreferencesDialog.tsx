import { useState } from 'react';
import { Dialog } from './Dialog';

export function PreferencesDialog({
  reviewer,
  onSave,
  onClose,
}: {
  reviewer: string;
  onSave: (name: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(reviewer);
  return (
    <Dialog title="Preferences" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSave(name);
          onClose();
        }}
      >
        <label className="field">
          <span>Reviewer name (written into every decision)</span>
          <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <div className="row">
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
