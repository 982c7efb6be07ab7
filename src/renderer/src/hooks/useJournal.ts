import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { JournalEntry } from '../../../shared/api';
import { errorMessage } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import { foldJournal, mergeJournals, type GivenLabels, type JournalFold } from '../../../shared/journal-fold';
import type { JournalStore } from '../journal/store';
import { JournalSync, type SyncState } from '../journal/sync';
import { useLatest } from './useLatest';

export interface JournalState {
  entries: JournalEntry[];
  /** The shared fold of `entries` (src/shared/journal-fold.ts): what training and export use too. */
  fold: JournalFold;
  sync: SyncState;
  loaded: boolean;
  /** Resolves once IndexedDB holds the entries (the main side may get them later). */
  append: (entries: JournalEntry[]) => Promise<void>;
  /** Push unsynced entries now; resolves with how many are still unsynced. */
  flush: () => Promise<number>;
  /** Merge the main side's journal again (after a reconnect or another reviewer's work). */
  reload: () => Promise<void>;
}

const EMPTY_SYNC: SyncState = { unsynced: 0, pushing: false, error: null, retryAt: null };
const NO_ENTRIES: JournalEntry[] = [];

/** State tagged with the project it belongs to, so switching projects never shows the old one's decisions. */
interface Tagged<T> {
  projectId: string | null;
  value: T;
}

export function useJournal(
  bridge: RendererBridge,
  store: JournalStore,
  projectId: string | null,
  given: GivenLabels,
  onError: (msg: string) => void,
): JournalState {
  const [entriesState, setEntriesState] = useState<Tagged<JournalEntry[]> & { loaded: boolean }>({
    projectId: null,
    value: NO_ENTRIES,
    loaded: false,
  });
  const [syncState, setSyncState] = useState<Tagged<SyncState>>({ projectId: null, value: EMPTY_SYNC });
  const syncRef = useRef<JournalSync | null>(null);
  const onErrorRef = useLatest(onError);

  const addEntries = useCallback(
    (pid: string, lists: JournalEntry[][], loaded: boolean) =>
      setEntriesState((prev) => ({
        projectId: pid,
        value: mergeJournals(prev.projectId === pid ? prev.value : NO_ENTRIES, ...lists),
        loaded: loaded || (prev.projectId === pid && prev.loaded),
      })),
    [],
  );

  const reload = useCallback((): Promise<void> => {
    if (!projectId) return Promise.resolve();
    const pid = projectId;
    const remote = bridge.invoke('getJournal', {}).then(
      async (entries) => {
        await store.addSynced(pid, entries);
        return entries;
      },
      (err: unknown) => {
        onErrorRef.current(
          `Could not read the project's journal from the main side (${errorMessage(err)}); showing the decisions saved in this browser.`,
        );
        return NO_ENTRIES;
      },
    );
    return Promise.all([store.all(pid), remote]).then(async ([local, fromMain]) => {
      addEntries(pid, [local, fromMain], true);
      await syncRef.current?.kick();
    });
  }, [bridge, store, projectId, addEntries, onErrorRef]);

  useEffect(() => {
    if (!projectId) return;
    const s = new JournalSync({
      projectId,
      store,
      push: (e) => bridge.invoke('appendJournal', { entries: e }),
      onState: (value) => setSyncState({ projectId, value }),
    });
    syncRef.current = s;
    reload().catch((err: unknown) =>
      onErrorRef.current(`Could not open the decision store in this browser: ${errorMessage(err)}`),
    );
    const offConn = bridge.onConnection((up) => {
      if (up) void reload();
    });
    const onOnline = () => void s.kick();
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('online', onOnline);
      offConn();
      s.dispose();
      if (syncRef.current === s) syncRef.current = null;
    };
  }, [bridge, store, projectId, reload, onErrorRef]);

  const append = useCallback(
    async (list: JournalEntry[]) => {
      if (!projectId) throw new Error('No project is open');
      await store.addLocal(projectId, list);
      addEntries(projectId, [list], false);
      void syncRef.current?.kick();
    },
    [store, projectId, addEntries],
  );

  const flush = useCallback(async () => {
    const s = syncRef.current;
    if (!s) return 0;
    await s.kick();
    return s.current.unsynced;
  }, []);

  const mine = entriesState.projectId === projectId;
  const entries = mine ? entriesState.value : NO_ENTRIES;
  const fold = useMemo(() => foldJournal(entries, given), [entries, given]);
  return {
    entries,
    fold,
    sync: syncState.projectId === projectId ? syncState.value : EMPTY_SYNC,
    loaded: mine && entriesState.loaded,
    append,
    flush,
    reload,
  };
}
