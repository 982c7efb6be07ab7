// Pushes journal entries that are only in the browser's store to the main side. Every
// entry is already safe in IndexedDB before it gets here, so a failed push only delays:
// it retries with exponential backoff, and at once when the connection comes back.
import type { JournalEntry } from '../../../shared/api.js';
import { errorMessage } from '../../../shared/api.js';

export interface PendingStore {
  pending(projectId: string): Promise<JournalEntry[]>;
  markSynced(projectId: string, entryIds: readonly string[]): Promise<void>;
}

export interface SyncState {
  unsynced: number;
  pushing: boolean;
  /** Message of the last failed push, null once a push succeeds. */
  error: string | null;
  /** When the next automatic retry is due (ms since epoch), null when none is scheduled. */
  retryAt: number | null;
}

export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncOptions {
  projectId: string;
  store: PendingStore;
  push: (entries: JournalEntry[]) => Promise<unknown>;
  onState: (s: SyncState) => void;
  scheduler?: Scheduler;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The API accepts at most 10,000 entries a call. */
  chunk?: number;
}

const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export class JournalSync {
  private readonly o: Required<Omit<SyncOptions, 'scheduler'>> & { scheduler: Scheduler };
  private state: SyncState = { unsynced: 0, pushing: false, error: null, retryAt: null };
  private attempt = 0;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private again = false;
  private disposed = false;

  constructor(opts: SyncOptions) {
    this.o = { baseDelayMs: 1000, maxDelayMs: 30_000, chunk: 1000, scheduler: realScheduler, ...opts };
  }

  get current(): SyncState {
    return this.state;
  }

  /** Push now (after a new decision, on load, on reconnect). Concurrent kicks coalesce. */
  kick(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.cancelTimer();
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again && !this.disposed) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }

  private async run(): Promise<void> {
    const { store, projectId, push, chunk } = this.o;
    let pending: JournalEntry[];
    try {
      pending = await store.pending(projectId);
    } catch (err) {
      this.set({ error: `Local store: ${errorMessage(err)}` });
      return;
    }
    this.set({ unsynced: pending.length, pushing: pending.length > 0, retryAt: null });
    try {
      for (let i = 0; i < pending.length; i += chunk) {
        const part = pending.slice(i, i + chunk);
        await push(part);
        await store.markSynced(
          projectId,
          part.map((e) => e.entryId),
        );
        if (this.disposed) return;
        this.set({ unsynced: pending.length - i - part.length });
      }
      this.attempt = 0;
      this.set({ pushing: false, error: null });
    } catch (err) {
      if (this.disposed) return;
      this.attempt++;
      const delay = backoffDelay(this.attempt, this.o.baseDelayMs, this.o.maxDelayMs);
      const retryAt = this.o.scheduler.now() + delay;
      this.timer = this.o.scheduler.setTimeout(() => {
        this.timer = null;
        void this.kick();
      }, delay);
      this.set({ pushing: false, error: errorMessage(err), retryAt });
    }
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.o.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  private set(patch: Partial<SyncState>): void {
    this.state = { ...this.state, ...patch };
    if (!this.disposed) this.o.onState(this.state);
  }
}
