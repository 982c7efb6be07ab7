// The browser-side journal: every decision lands here first (IndexedDB via Dexie), so
// nothing is lost while the main side is busy, restarting, or on another port.
import Dexie, { type Table } from 'dexie';
import type { JournalEntry } from '../../../shared/api.js';
import type { PendingStore } from './sync.js';

interface StoredEntry {
  projectId: string;
  entryId: string;
  entry: JournalEntry;
  /** 0 = only here, 1 = the main side has it. IndexedDB cannot index booleans. */
  synced: 0 | 1;
}

class UnsureDb extends Dexie {
  journal!: Table<StoredEntry, [string, string]>;
  constructor() {
    super('unsure');
    this.version(1).stores({ journal: '[projectId+entryId], projectId, [projectId+synced]' });
  }
}

export class JournalStore implements PendingStore {
  private readonly db = new UnsureDb();

  /** Saves new local entries as unsynced; resolves only once IndexedDB has them. */
  async addLocal(projectId: string, entries: readonly JournalEntry[]): Promise<void> {
    await this.db.journal.bulkPut(
      entries.map((entry) => ({ projectId, entryId: entry.entryId, entry, synced: 0 as const })),
    );
  }

  /** Records entries the main side already has (from getJournal), keeping local ones intact. */
  async addSynced(projectId: string, entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.journal.bulkPut(
      entries.map((entry) => ({ projectId, entryId: entry.entryId, entry, synced: 1 as const })),
    );
  }

  async all(projectId: string): Promise<JournalEntry[]> {
    const rows = await this.db.journal.where('projectId').equals(projectId).toArray();
    return rows.map((r) => r.entry);
  }

  async pending(projectId: string): Promise<JournalEntry[]> {
    const rows = await this.db.journal.where('[projectId+synced]').equals([projectId, 0]).toArray();
    return rows.map((r) => r.entry);
  }

  async markSynced(projectId: string, entryIds: readonly string[]): Promise<void> {
    await this.db.journal
      .where('[projectId+entryId]')
      .anyOf(entryIds.map((id) => [projectId, id]))
      .modify({ synced: 1 });
  }
}
