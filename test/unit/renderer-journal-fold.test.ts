import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalEntry } from '../../src/shared/api.js';
import { foldJournal, lastUndoableBatch, mergeJournals } from '../../src/shared/journal-fold.js';
import { isCorrection, sessionStats } from '../../src/renderer/src/journal/session-stats.js';
import { decisionEntries, undoEntry, type DecisionTarget } from '../../src/renderer/src/journal/decide.js';

let n = 0;
const id = () => `id-${String(++n).padStart(6, '0')}`;
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();

function decision(
  sampleId: string,
  action: 'relabel' | 'other' | 'accept' | 'keep' | 'skip',
  before: string | null,
  after: string | null,
  t: number,
  batchId = id(),
): JournalEntry {
  return { kind: 'decision', entryId: id(), batchId, sampleId, action, before, after, at: at(t), reviewer: 'ann' };
}

describe('foldJournal', () => {
  test('the latest decision wins and the origin is the label before the first decision', () => {
    const f = foldJournal([decision('a', 'relabel', '3', '5', 1), decision('a', 'other', '5', 'other', 2)]);
    const s = f.samples.get('a');
    assert.equal(s?.label, 'other');
    assert.equal(s?.action, 'other');
    assert.equal(s?.origin, '3');
    assert.equal(s?.decided, true);
  });

  test('order of the input does not matter: entries are sorted by time', () => {
    const e1 = decision('a', 'relabel', '3', '5', 1);
    const e2 = decision('a', 'relabel', '5', '8', 2);
    assert.equal(foldJournal([e2, e1]).samples.get('a')?.label, '8');
  });

  test('an undo reverts its whole batch and only that batch', () => {
    const batch = id();
    const entries = [
      decision('a', 'other', '1', 'other', 1, batch),
      decision('b', 'other', '2', 'other', 1, batch),
      decision('c', 'relabel', null, '7', 2),
    ];
    const undone = [
      ...entries,
      { kind: 'undo', entryId: id(), batchId: batch, at: at(3), reviewer: 'ann' } as JournalEntry,
    ];
    const f = foldJournal(undone);
    assert.equal(f.samples.has('a'), false);
    assert.equal(f.samples.has('b'), false);
    assert.equal(f.samples.get('c')?.label, '7');
    assert.deepEqual(f.liveBatches, [entries[2]!.kind === 'decision' ? entries[2]!.batchId : '']);
  });

  test('undoing a later decision restores the earlier one', () => {
    const first = decision('a', 'relabel', '3', '5', 1);
    const second = decision('a', 'other', '5', 'other', 2);
    const b = second.kind === 'decision' ? second.batchId : '';
    const f = foldJournal([first, second, { kind: 'undo', entryId: id(), batchId: b, at: at(3), reviewer: 'ann' }]);
    assert.equal(f.samples.get('a')?.label, '5');
  });

  test('a skip marks the sample seen without erasing an earlier label', () => {
    const f = foldJournal([decision('a', 'skip', '3', null, 1)]);
    assert.equal(f.samples.get('a')?.decided, false);
    assert.equal(f.samples.get('a')?.action, 'skip');
    const g = foldJournal([decision('a', 'relabel', '3', '4', 1), decision('a', 'skip', '4', null, 2)]);
    assert.equal(g.samples.get('a')?.label, '4');
    assert.equal(g.samples.get('a')?.decided, true);
  });

  test('lastUndoableBatch walks back through batches as they are undone', () => {
    const e1 = decision('a', 'relabel', '3', '5', 1);
    const e2 = decision('b', 'relabel', '3', '5', 2);
    const b1 = e1.kind === 'decision' ? e1.batchId : '';
    const b2 = e2.kind === 'decision' ? e2.batchId : '';
    assert.equal(lastUndoableBatch(foldJournal([e1, e2])), b2);
    const u = { kind: 'undo' as const, entryId: id(), batchId: b2, at: at(3), reviewer: 'ann' };
    assert.equal(lastUndoableBatch(foldJournal([e1, e2, u])), b1);
    const u2 = { kind: 'undo' as const, entryId: id(), batchId: b1, at: at(4), reviewer: 'ann' };
    assert.equal(lastUndoableBatch(foldJournal([e1, e2, u, u2])), null);
  });
});

describe('mergeJournals', () => {
  test('unions by entryId, so merging local and remote copies never doubles an entry', () => {
    const a = decision('a', 'other', '1', 'other', 1);
    const b = decision('b', 'relabel', '2', '3', 2);
    const merged = mergeJournals([a, b], [b, a], [a]);
    assert.equal(merged.length, 2);
    assert.deepEqual(
      merged.map((e) => e.entryId),
      [a.entryId, b.entryId],
    );
  });
});

describe('corrections and session stats', () => {
  test('a correction changes a given label, or overrules the model on an unlabeled sample', () => {
    const f = foldJournal([
      decision('keep', 'keep', '3', '3', 1),
      decision('fix', 'relabel', '3', '8', 2),
      decision('accept-diff', 'accept', '3', '5', 3),
      decision('unl-accept', 'accept', null, '5', 4),
      decision('unl-other', 'other', null, 'other', 5),
    ]);
    const get = (k: string) => isCorrection(f.samples.get(k)!);
    assert.equal(get('keep'), false);
    assert.equal(get('fix'), true);
    assert.equal(get('accept-diff'), true);
    assert.equal(get('unl-accept'), false);
    assert.equal(get('unl-other'), true);
  });

  test("rate per hour counts this session's decisions over the time since the first", () => {
    const entries = [
      decision('old', 'other', '1', 'other', 0),
      decision('a', 'other', '1', 'other', 10),
      decision('b', 'other', '1', 'other', 20),
      decision('c', 'other', '1', 'other', 30),
    ];
    const f = foldJournal(entries);
    const now = Date.parse(at(100));
    const s = sessionStats(entries, f, at(5), now);
    assert.equal(s.reviewed, 4);
    assert.equal(s.corrections, 4);
    // 3 decisions in 90 s = 120 per hour.
    assert.ok(s.perHour !== null && Math.abs(s.perHour - 120) < 1e-9);
    // Under a minute after the first decision there is no rate yet (a bulk decision would be huge).
    assert.equal(sessionStats(entries, f, at(5), Date.parse(at(46))).perHour, null);
    assert.equal(sessionStats(entries.slice(0, 2), foldJournal(entries.slice(0, 2)), at(5), now).perHour, null);
  });
});

describe('decisionEntries', () => {
  const targets: DecisionTarget[] = [
    { sampleId: 'a', given: '3', predicted: '0', current: null },
    { sampleId: 'b', given: null, predicted: '1', current: null },
    { sampleId: 'c', given: '7', predicted: '7', current: 'other' },
  ];
  const meta = { batchId: 'batch-0001', at: at(1), reviewer: 'ann', newId: id };

  test('one entry per target, all in one batch, with before and after labels', () => {
    const e = decisionEntries({ action: 'relabel', label: '9' }, targets, meta);
    assert.equal(e.length, 3);
    assert.ok(e.every((x) => x.batchId === 'batch-0001' && x.after === '9'));
    assert.deepEqual(
      e.map((x) => x.before),
      ['3', null, 'other'],
    );
    assert.equal(new Set(e.map((x) => x.entryId)).size, 3);
  });

  test('accept takes each prediction, other is the reserved label, skip has no after', () => {
    assert.deepEqual(
      decisionEntries({ action: 'accept' }, targets, meta).map((x) => x.after),
      ['0', '1', '7'],
    );
    assert.ok(decisionEntries({ action: 'other' }, targets, meta).every((x) => x.after === 'other'));
    assert.ok(decisionEntries({ action: 'skip' }, targets, meta).every((x) => x.after === null));
  });

  test('keep leaves out unlabeled samples (there is no given label to keep)', () => {
    const e = decisionEntries({ action: 'keep' }, targets, meta);
    assert.deepEqual(
      e.map((x) => [x.sampleId, x.after]),
      [
        ['a', '3'],
        ['c', '7'],
      ],
    );
  });

  test('entries and the undo entry satisfy the API schema', async () => {
    const { JournalEntry } = await import('../../src/shared/api.js');
    for (const e of decisionEntries({ action: 'relabel', label: '9' }, targets, { ...meta, batchId: 'b-12345678' }))
      JournalEntry.parse(e);
    JournalEntry.parse(undoEntry('b-12345678', { at: at(2), reviewer: 'ann', newId: () => 'undo-12345678' }));
  });
});
