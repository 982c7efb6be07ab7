import { useEffect, useMemo, useState } from 'react';
import type { JournalEntry } from '../../../shared/api';
import type { JournalFold } from '../../../shared/journal-fold';
import { sessionStats } from '../journal/session-stats';
import { keepFocus } from './keep-focus';
import type { SyncState } from '../journal/sync';

export function syncWords(s: SyncState, now: number): string {
  if (s.unsynced === 0 && !s.error) return 'all saved';
  const base = `${s.unsynced} unsynced`;
  if (s.pushing) return `${base}, saving…`;
  if (s.error && s.retryAt) return `${base}, retrying in ${Math.max(1, Math.ceil((s.retryAt - now) / 1000))} s`;
  if (s.error) return `${base} (${s.error})`;
  return base;
}

export interface SessionBarProps {
  entries: JournalEntry[];
  fold: JournalFold;
  /** ISO time this page session started: the rate counts decisions since then. */
  since: string;
  sync: SyncState;
  reviewer: string;
  onPreferences: () => void;
}

export function SessionBar({ entries, fold, since, sync, reviewer, onPreferences }: SessionBarProps) {
  // The clock lives here so that ticking re-renders this bar, not the grid.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const stats = useMemo(() => sessionStats(entries, fold, since, now), [entries, fold, since, now]);
  const words = syncWords(sync, now);
  return (
    <div className="session-bar" role="status" aria-label="Session" onMouseDown={keepFocus}>
      <span>
        reviewed <strong data-testid="reviewed">{stats.reviewed}</strong>
      </span>
      <span>
        corrections <strong data-testid="corrections">{stats.corrections}</strong>
      </span>
      <span>{stats.perHour === null ? '— / h' : `${Math.round(stats.perHour).toLocaleString()} / h`}</span>
      <span
        className={sync.unsynced > 0 || sync.error ? 'sync warn' : 'sync ok'}
        data-testid="sync"
        title={sync.error ?? undefined}
      >
        {words}
      </span>
      <span className="spacer" />
      <button type="button" className="link" aria-label="Preferences" onClick={onPreferences}>
        reviewer: {reviewer || 'anonymous'}
      </button>
    </div>
  );
}
