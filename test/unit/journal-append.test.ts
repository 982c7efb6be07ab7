import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { JournalEntry } from '../../src/shared/api.js';
import { JOURNAL_FILE, openJournal } from '../../src/main/engine/review/journal.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-journal-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => path.join(root, `p${dirs++}`);

function decision(n: number, sampleId = `s${n}`, batch = `batch-${n}`): JournalEntry {
  return {
    kind: 'decision',
    entryId: `entry-${String(n).padStart(4, '0')}`,
    batchId: batch.padEnd(8, '0'),
    sampleId,
    action: 'other',
    before: '0',
    after: 'other',
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    reviewer: 'tester',
  };
}

const lines = (dir: string) => readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').split('\n').filter(Boolean);

describe('decision journal', () => {
  test('appends entries as JSON lines and reads them back in a fresh journal', async () => {
    const dir = freshDir();
    const j = openJournal(dir);
    assert.deepEqual(j.entries(), []);
    assert.deepEqual(await j.append([decision(1), decision(2)]), { appended: 2, total: 2 });
    assert.deepEqual(await j.append([decision(3)]), { appended: 1, total: 3 });
    assert.equal(lines(dir).length, 3);
    assert.deepEqual(JSON.parse(lines(dir)[2]!), decision(3));
    assert.deepEqual(openJournal(dir).entries(), [decision(1), decision(2), decision(3)]);
  });

  test('re-sending the same entries appends nothing, also after reopening', async () => {
    const dir = freshDir();
    const j = openJournal(dir);
    await j.append([decision(1), decision(2)]);
    assert.deepEqual(await j.append([decision(1), decision(2)]), { appended: 0, total: 2 });
    const again = openJournal(dir);
    assert.deepEqual(await again.append([decision(2), decision(3), decision(3)]), { appended: 1, total: 3 });
    assert.equal(lines(dir).length, 3);
  });

  test('refuses an invalid entry, naming it, and writes nothing of that batch', async () => {
    const dir = freshDir();
    const j = openJournal(dir);
    const bad = { ...decision(2), at: 'yesterday' };
    await assert.rejects(j.append([decision(1), bad]), /journal entry 1: at:/);
    assert.deepEqual(j.entries(), []);
    assert.deepEqual(await j.append([decision(1)]), { appended: 1, total: 1 });
  });

  test('a repeated entryId in the file keeps the first entry', async () => {
    const dir = freshDir();
    await openJournal(dir).append([decision(1)]);
    appendFileSync(path.join(dir, JOURNAL_FILE), JSON.stringify({ ...decision(1), after: '9' }) + '\n');
    const warnings: string[] = [];
    assert.deepEqual(openJournal(dir, { warn: (m) => warnings.push(m) }).entries(), [decision(1)]);
    assert.match(warnings[0]!, /line 2 repeats entryId entry-0001/);
  });

  test('refuses an entryId already stored with different content', async () => {
    const dir = freshDir();
    const j = openJournal(dir);
    await j.append([decision(1)]);
    await assert.rejects(
      j.append([{ ...decision(1), after: '7', action: 'relabel' }]),
      /already in .* with different content/,
    );
    assert.equal(j.entries().length, 1);
  });

  test('ignores a torn last line with a warning; the next append starts a new line and deletes nothing', async () => {
    const dir = freshDir();
    await openJournal(dir).append([decision(1), decision(2)]);
    const file = path.join(dir, JOURNAL_FILE);
    const fragment = JSON.stringify(decision(3)).slice(0, 40);
    appendFileSync(file, fragment);
    const warnings: string[] = [];
    const j = openJournal(dir, { warn: (m) => warnings.push(m) });
    assert.deepEqual(j.entries(), [decision(1), decision(2)]);
    assert.deepEqual(warnings.length, 1);
    assert.match(warnings[0]!, /line 3 is incomplete/);
    await j.append([decision(4)]);
    await j.append([decision(5)]);
    assert.equal(warnings.length, 1, 'the torn line is reported once');
    assert.deepEqual(lines(dir)[2], fragment);
    const reopened: string[] = [];
    assert.deepEqual(openJournal(dir, { warn: (m) => reopened.push(m) }).entries(), [
      decision(1),
      decision(2),
      decision(4),
      decision(5),
    ]);
    assert.match(reopened.join(), /line 3 is not a valid journal entry/);
  });

  test('a complete last entry missing only its newline is kept, and the next one starts a new line', async () => {
    const dir = freshDir();
    await openJournal(dir).append([decision(1)]);
    appendFileSync(path.join(dir, JOURNAL_FILE), JSON.stringify(decision(2)));
    const j = openJournal(dir, { warn: () => assert.fail('no warning expected') });
    assert.equal(j.entries().length, 2);
    assert.deepEqual(await j.append([decision(2), decision(3)]), { appended: 1, total: 3 });
    assert.deepEqual(openJournal(dir, { warn: () => assert.fail('no warning expected') }).entries(), [
      decision(1),
      decision(2),
      decision(3),
    ]);
  });

  test('a damaged line in the middle is skipped with a warning naming the file and line', async () => {
    const dir = freshDir();
    await openJournal(dir).append([decision(1)]);
    appendFileSync(path.join(dir, JOURNAL_FILE), 'not json\n' + JSON.stringify(decision(2)) + '\n');
    const warnings: string[] = [];
    assert.deepEqual(openJournal(dir, { warn: (m) => warnings.push(m) }).entries(), [decision(1), decision(2)]);
    assert.match(warnings[0]!, /decisions\.jsonl: line 2 is not a valid journal entry/);
  });

  test('two writers on one journal (two processes) lose nothing and never duplicate', async () => {
    const dir = freshDir();
    const a = openJournal(dir);
    const b = openJournal(dir);
    await a.append([decision(1), decision(2)]);
    assert.deepEqual(await b.append([decision(2), decision(3)]), { appended: 1, total: 3 });
    assert.deepEqual(await a.append([decision(3), decision(4)]), { appended: 1, total: 4 });
    assert.deepEqual(
      openJournal(dir)
        .entries()
        .map((e) => e.entryId),
      ['entry-0001', 'entry-0002', 'entry-0003', 'entry-0004'],
    );
    assert.equal(lines(dir).length, 4);
  });

  test('concurrent appends never interleave and never duplicate', async () => {
    const dir = freshDir();
    const j = openJournal(dir);
    const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 25 }, (_, k) => decision(b * 25 + k)));
    // Every batch twice, all in flight at once: the idempotency check must see earlier writes.
    const results = await Promise.all([...batches, ...batches].map((b) => j.append(b)));
    assert.equal(
      results.reduce((s, r) => s + r.appended, 0),
      500,
    );
    const stored = lines(dir).map((l) => JSON.parse(l) as JournalEntry);
    assert.equal(stored.length, 500);
    assert.equal(new Set(stored.map((e) => e.entryId)).size, 500);
    // Each batch's lines are contiguous: one write per batch.
    for (let b = 0; b < 20; b++) {
      const first = stored.findIndex((e) => e.entryId === batches[b]![0]!.entryId);
      assert.deepEqual(stored.slice(first, first + 25), batches[b]);
    }
  });

  test('a failed append does not block later ones', async () => {
    const dir = freshDir();
    const j = openJournal(dir);
    const failing = j.append([{ kind: 'nonsense' }]);
    const ok = j.append([decision(1)]);
    await assert.rejects(failing);
    assert.deepEqual(await ok, { appended: 1, total: 1 });
  });
});
