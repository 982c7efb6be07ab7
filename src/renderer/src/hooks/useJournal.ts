import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { JournalEntry } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import { foldJournal, mergeJournals, type FoldResult } from '../journal/fold';
import type { JournalStore } from '../journal/store';
import { JournalSync, type SyncState } from '../journal/sync';

export interface JournalState {
  entries: JournalEntry[];
  fold: FoldResult;
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

export function useJournal(
  bridge: RendererBridge,
  store: JournalStore,
  projectId: string | null,
  onError: (msg: string) => void,
): JournalState {
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [sync, setSync] = useState<SyncState>(EMPTY_SYNC);
  const [loaded, setLoaded] = useState(false);
  const syncRef = useRef<JournalSync | null>(null);
  const onErrorRef = useRef(onError);
  useEffect(() => {
    onErrorRef.current = onError;
  });

  const reload = useCallback(async () => {
    if (!projectId) return;
    const local = await store.all(projectId);
    let remote: JournalEntry[] = [];
    try {
      remote = await bridge.invoke('getJournal', {});
      await store.addSynced(projectId, remote);
    } catch (err) {
      onErrorRef.current(`Could not read the project's journal from the main side (${msg(err)}); showing the decisions saved in this browser.`);
    }
    setEntries((prev) => mergeJournals(prev, local, remote));
    setLoaded(true);
    await syncRef.current?.kick();
  }, [bridge, store, projectId]);

  useEffect(() => {
    setEntries([]);
    setLoaded(false);
    setSync(EMPTY_SYNC);
    if (!projectId) return;
    const s = new JournalSync({
      projectId,
      store,
      push: (e) => bridge.invoke('appendJournal', { entries: e }),
      onState: setSync,
    });
    syncRef.current = s;
    reload().catch((err: unknown) => onErrorRef.current(`Could not open the decision store in this browser: ${msg(err)}`));
    const offConn = bridge.onConnection((up) => {
      if (up) void reload();
    });
    return () => {
      offConn();
      s.dispose();
      if (syncRef.current === s) syncRef.current = null;
    };
  }, [bridge, store, projectId, reload]);

  const append = useCallback(
    async (list: JournalEntry[]) => {
      if (!projectId) throw new Error('No project is open');
      await store.addLocal(projectId, list);
      setEntries((prev) => mergeJournals(prev, list));
      void syncRef.current?.kick();
    },
    [store, projectId],
  );

  const flush = useCallback(async () => {
    const s = syncRef.current;
    if (!s) return 0;
    await s.kick();
    return s.current.unsynced;
  }, []);

  const fold = useMemo(() => foldJournal(entries), [entries]);
  return { entries, fold, sync, loaded, append, flush, reload };
}

function msg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
