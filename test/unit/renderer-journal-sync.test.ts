import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalEntry } from '../../src/shared/api.js';
import {
  backoffDelay,
  JournalSync,
  type PendingStore,
  type Scheduler,
  type SyncState,
} from '../../src/renderer/src/journal/sync.js';

/** An in-memory store with the same contract as the IndexedDB one. */
class MemoryStore implements PendingStore {
  rows = new Map<string, { entry: JournalEntry; synced: boolean }>();
  add(entries: JournalEntry[]) {
    for (const e of entries) this.rows.set(e.entryId, { entry: e, synced: false });
  }
  async pending() {
    return [...this.rows.values()].filter((r) => !r.synced).map((r) => r.entry);
  }
  async markSynced(_p: string, ids: readonly string[]) {
    for (const id of ids) {
      const r = this.rows.get(id);
      if (r) r.synced = true;
    }
  }
}

/** A manual clock so backoff is tested without waiting. */
class ManualScheduler implements Scheduler {
  t = 0;
  timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 0;
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.next;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown) {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  async advance(ms: number) {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const d of due) d.fn();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  }
}

const entry = (i: number): JournalEntry => ({
  kind: 'decision',
  entryId: `entry-${String(i).padStart(6, '0')}`,
  batchId: `batch-${String(i).padStart(6, '0')}`,
  sampleId: `s${i}`,
  action: 'other',
  before: null,
  after: 'other',
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  reviewer: 'ann',
});

describe('JournalSync', () => {
  test('pushes pending entries in chunks and marks them synced', async () => {
    const store = new MemoryStore();
    store.add(Array.from({ length: 25 }, (_, i) => entry(i)));
    const pushed: number[] = [];
    const states: SyncState[] = [];
    const s = new JournalSync({
      projectId: 'p',
      store,
      push: async (e) => pushed.push(e.length),
      onState: (x) => states.push(x),
      chunk: 10,
    });
    await s.kick();
    assert.deepEqual(pushed, [10, 10, 5]);
    assert.equal((await store.pending()).length, 0);
    assert.equal(s.current.unsynced, 0);
    assert.equal(s.current.error, null);
    s.dispose();
  });

  test('keeps entries unsynced while the main side is down, retries with backoff, then delivers once', async () => {
    const store = new MemoryStore();
    store.add([entry(1), entry(2)]);
    const clock = new ManualScheduler();
    let up = false;
    const server = new Map<string, JournalEntry>();
    let calls = 0;
    const s = new JournalSync({
      projectId: 'p',
      store,
      scheduler: clock,
      baseDelayMs: 1000,
      maxDelayMs: 8000,
      onState: () => {},
      push: async (e) => {
        calls++;
        if (!up) throw new Error('connection refused');
        for (const x of e) server.set(x.entryId, x);
      },
    });
    await s.kick();
    assert.equal(s.current.unsynced, 2);
    assert.equal(s.current.error, 'connection refused');
    assert.equal(s.current.retryAt, 1000);
    await clock.advance(1000);
    assert.equal(calls, 2);
    assert.equal(s.current.retryAt, 1000 + 2000, 'second retry waits twice as long');
    up = true;
    await clock.advance(2000);
    assert.equal(calls, 3);
    assert.equal(s.current.unsynced, 0);
    assert.equal(s.current.error, null);
    assert.equal(server.size, 2);
    assert.equal(clock.timers.length, 0, 'no retry left scheduled after success');
    s.dispose();
  });

  test('a kick during a push is not lost: entries added meanwhile go out right after', async () => {
    const store = new MemoryStore();
    store.add([entry(1)]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batches: string[][] = [];
    const s = new JournalSync({
      projectId: 'p',
      store,
      onState: () => {},
      push: async (e) => {
        batches.push(e.map((x) => x.entryId));
        if (batches.length === 1) await gate;
      },
    });
    const first = s.kick();
    store.add([entry(2)]);
    void s.kick();
    release();
    await first;
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(batches, [['entry-000001'], ['entry-000002']]);
    s.dispose();
  });

  test('backoff doubles up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, 1000, 10_000)),
      [1000, 2000, 4000, 8000, 10_000, 10_000],
    );
  });
});
