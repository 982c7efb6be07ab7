import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DecisionAction, JournalEntry } from '../../src/shared/api.js';
import { finalLabels, foldJournal, givenLabelsOf } from '../../src/main/engine/review/fold.js';

let seq = 0;
function d(
  sampleId: string,
  action: DecisionAction,
  after: string | null,
  batch: string,
  second: number,
): JournalEntry {
  return {
    kind: 'decision',
    entryId: `e-${String(seq++).padStart(6, '0')}`,
    batchId: `batch-${batch}`,
    sampleId,
    action,
    before: null,
    after,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    reviewer: `r${second}`,
  };
}
function undo(batch: string, second: number): JournalEntry {
  return {
    kind: 'undo',
    entryId: `u-${String(seq++).padStart(6, '0')}`,
    batchId: `batch-${batch}`,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    reviewer: 'r',
  };
}

const samples = [
  { id: 'a', label: '0' },
  { id: 'b', label: '1' },
  { id: 'c', label: null },
  { id: 'd', label: '2' },
];
const given = givenLabelsOf(samples);

describe('foldJournal', () => {
  test('each action sets the label it should', () => {
    const fold = foldJournal(
      [
        d('a', 'other', 'other', 'A', 1),
        d('b', 'accept', '7', 'A', 1),
        d('c', 'relabel', '3', 'A', 1),
        d('d', 'keep', '2', 'A', 1),
      ],
      given,
    );
    assert.equal(fold.get('a')?.label, 'other');
    assert.equal(fold.get('b')?.label, '7');
    assert.equal(fold.get('c')?.label, '3');
    assert.deepEqual(fold.get('d'), {
      label: '2',
      action: 'keep',
      at: '2026-01-01T00:00:01.000Z',
      reviewer: 'r1',
      decided: true,
    });
    assert.deepEqual(finalLabels(samples, fold), ['other', '7', '3', '2']);
  });

  test('keep restores the given label after a relabel; the latest decision wins', () => {
    const fold = foldJournal([d('a', 'relabel', '5', 'A', 1), d('a', 'keep', '0', 'B', 2)], given);
    assert.equal(fold.get('a')?.label, '0');
    assert.equal(fold.get('a')?.action, 'keep');
    const later = foldJournal([d('a', 'keep', '0', 'B', 2), d('a', 'relabel', '5', 'A', 3)], given);
    assert.equal(later.get('a')?.label, '5');
  });

  test('latest is by time, not by file order', () => {
    const fold = foldJournal([d('a', 'relabel', '5', 'A', 9), d('a', 'relabel', '6', 'B', 4)], given);
    assert.equal(fold.get('a')?.label, '5');
  });

  test('skip records a view without changing the label or hiding an earlier decision', () => {
    const onlySkip = foldJournal([d('b', 'skip', null, 'A', 1)], given);
    assert.deepEqual(onlySkip.get('b'), {
      label: '1',
      action: 'skip',
      at: '2026-01-01T00:00:01.000Z',
      reviewer: 'r1',
      decided: false,
    });
    const afterDecision = foldJournal([d('b', 'other', 'other', 'A', 1), d('b', 'skip', null, 'B', 2)], given);
    assert.equal(afterDecision.get('b')?.label, 'other');
    assert.equal(afterDecision.get('b')?.action, 'other');
    assert.equal(afterDecision.get('b')?.decided, true);
  });

  test('undo reverts every decision of its batch, and the previous decision shows again', () => {
    const entries = [
      d('a', 'relabel', '4', 'first', 1),
      d('a', 'other', 'other', 'second', 2),
      d('b', 'other', 'other', 'second', 2),
      undo('second', 3),
    ];
    const fold = foldJournal(entries, given);
    assert.equal(fold.get('a')?.label, '4');
    assert.equal(fold.has('b'), false);
    assert.deepEqual(finalLabels(samples, fold), ['4', '1', null, '2']);
  });

  test('an undone batch stays undone, even for entries of it synced after the undo', () => {
    const fold = foldJournal([undo('X', 5), d('c', 'relabel', '9', 'X', 1), d('c', 'relabel', '8', 'X', 6)], given);
    assert.equal(fold.has('c'), false);
    assert.deepEqual(finalLabels(samples, fold), ['0', '1', null, '2']);
  });

  test('keep of an unlabeled sample leaves it unlabeled but decided', () => {
    const fold = foldJournal([d('c', 'keep', null, 'A', 1)], given);
    assert.deepEqual(fold.get('c'), {
      label: null,
      action: 'keep',
      at: '2026-01-01T00:00:01.000Z',
      reviewer: 'r1',
      decided: true,
    });
  });

  test('no entries: final labels are the given labels', () => {
    assert.deepEqual(finalLabels(samples, foldJournal([], given)), ['0', '1', null, '2']);
  });
});
