import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DecisionAction, JournalEntry } from '../../src/shared/api.js';
import {
  compareEntries,
  entryProblem,
  finalLabels,
  foldJournal,
  givenLabelsOf,
  trainingLabels,
} from '../../src/shared/journal-fold.js';

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
    assert.equal(fold.samples.get('a')?.label, 'other');
    assert.equal(fold.samples.get('b')?.label, '7');
    assert.equal(fold.samples.get('c')?.label, '3');
    assert.deepEqual(fold.samples.get('d'), {
      label: '2',
      action: 'keep',
      batchId: 'batch-A',
      origin: '2',
      at: '2026-01-01T00:00:01.000Z',
      reviewer: 'r1',
      decided: true,
    });
    assert.deepEqual(finalLabels(samples, fold), ['other', '7', '3', '2']);
  });

  test('keep restores the given label after a relabel; the latest decision wins', () => {
    const fold = foldJournal([d('a', 'relabel', '5', 'A', 1), d('a', 'keep', '0', 'B', 2)], given);
    assert.equal(fold.samples.get('a')?.label, '0');
    assert.equal(fold.samples.get('a')?.action, 'keep');
    const later = foldJournal([d('a', 'keep', '0', 'B', 2), d('a', 'relabel', '5', 'A', 3)], given);
    assert.equal(later.samples.get('a')?.label, '5');
  });

  test('latest is by time, not by file order', () => {
    const fold = foldJournal([d('a', 'relabel', '5', 'A', 9), d('a', 'relabel', '6', 'B', 4)], given);
    assert.equal(fold.samples.get('a')?.label, '5');
  });

  test('skip records a view without changing the label or hiding an earlier decision', () => {
    const onlySkip = foldJournal([d('b', 'skip', null, 'A', 1)], given);
    assert.deepEqual(onlySkip.samples.get('b'), {
      label: '1',
      action: 'skip',
      batchId: 'batch-A',
      origin: '1',
      at: '2026-01-01T00:00:01.000Z',
      reviewer: 'r1',
      decided: false,
    });
    const afterDecision = foldJournal([d('b', 'other', 'other', 'A', 1), d('b', 'skip', null, 'B', 2)], given);
    assert.equal(afterDecision.samples.get('b')?.label, 'other');
    assert.equal(afterDecision.samples.get('b')?.action, 'other');
    assert.equal(afterDecision.samples.get('b')?.decided, true);
  });

  test('undo reverts every decision of its batch, and the previous decision shows again', () => {
    const entries = [
      d('a', 'relabel', '4', 'first', 1),
      d('a', 'other', 'other', 'second', 2),
      d('b', 'other', 'other', 'second', 2),
      undo('second', 3),
    ];
    const fold = foldJournal(entries, given);
    assert.equal(fold.samples.get('a')?.label, '4');
    assert.equal(fold.samples.has('b'), false);
    assert.deepEqual(finalLabels(samples, fold), ['4', '1', null, '2']);
  });

  test('an undone batch stays undone, even for entries of it synced after the undo', () => {
    const fold = foldJournal([undo('X', 5), d('c', 'relabel', '9', 'X', 1), d('c', 'relabel', '8', 'X', 6)], given);
    assert.equal(fold.samples.has('c'), false);
    assert.deepEqual(finalLabels(samples, fold), ['0', '1', null, '2']);
  });

  test('keep of an unlabeled sample leaves it unlabeled but decided', () => {
    const fold = foldJournal([d('c', 'keep', null, 'A', 1)], given);
    assert.deepEqual(fold.samples.get('c'), {
      label: null,
      action: 'keep',
      batchId: 'batch-A',
      origin: null,
      at: '2026-01-01T00:00:01.000Z',
      reviewer: 'r1',
      decided: true,
    });
  });

  test('no entries: final labels are the given labels', () => {
    assert.deepEqual(finalLabels(samples, foldJournal([], given)), ['0', '1', null, '2']);
  });

  test('entries of one millisecond are ordered by entryId, whatever the file order', () => {
    const x = { ...d('a', 'relabel', '5', 'A', 1), entryId: 'e-zzzzzz' };
    const y = { ...d('a', 'relabel', '6', 'B', 1), entryId: 'e-aaaaaa' };
    assert.equal(foldJournal([x, y], given).samples.get('a')?.label, '5');
    assert.equal(foldJournal([y, x], given).samples.get('a')?.label, '5');
  });

  test('`at` is compared as an instant: "…:00Z" is earlier than "…:00.5Z" though it sorts after it as a string', () => {
    const early = { ...d('a', 'relabel', '5', 'A', 0), at: '2026-01-01T00:00:00Z', entryId: 'e-zzzzzz' };
    const late = { ...d('a', 'relabel', '6', 'B', 0), at: '2026-01-01T00:00:00.5Z', entryId: 'e-aaaaaa' };
    assert.ok(late.at < early.at, 'the strings sort the other way');
    assert.ok(compareEntries(early, late) < 0);
    assert.equal(foldJournal([late, early], given).samples.get('a')?.label, '6');
  });

  test('an `after` that contradicts keep, other or skip is ignored: the action wins', () => {
    const fold = foldJournal(
      [d('a', 'keep', '9', 'A', 1), d('b', 'other', '4', 'A', 1), d('d', 'skip', '7', 'A', 1)],
      given,
    );
    assert.deepEqual(finalLabels(samples, fold), ['0', 'other', null, '2']);
    assert.equal(fold.samples.get('d')?.decided, false);
  });

  test('an accept or relabel without a label is ignored: it neither labels nor decides', () => {
    const fold = foldJournal(
      [d('a', 'relabel', '5', 'A', 1), d('a', 'relabel', null, 'B', 2), d('b', 'accept', null, 'B', 2)],
      given,
    );
    assert.equal(fold.samples.get('a')?.label, '5');
    assert.equal(fold.samples.has('b'), false);
    assert.deepEqual(fold.liveBatches, ['batch-A']);
  });

  test('keep falls back to its `after` only where the given label is not known', () => {
    assert.equal(foldJournal([d('x', 'keep', '3', 'A', 1)]).samples.get('x')?.label, '3');
    assert.equal(foldJournal([d('a', 'keep', '3', 'A', 1)], given).samples.get('a')?.label, '0');
  });
});

describe('entryProblem (what appendJournal refuses)', () => {
  const e = (action: DecisionAction, after: string | null) =>
    d('a', action, after, 'A', 1) as Parameters<typeof entryProblem>[0];
  test('accepts what the renderer writes', () => {
    assert.equal(entryProblem(e('keep', '0'), '0'), null);
    assert.equal(entryProblem(e('keep', null), null), null);
    assert.equal(entryProblem(e('other', 'other'), '0'), null);
    assert.equal(entryProblem(e('skip', null), '0'), null);
    assert.equal(entryProblem(e('accept', '4'), '0'), null);
    assert.equal(entryProblem(e('relabel', '4'), null), null);
  });
  test('refuses an `after` that contradicts the action, saying what it should be', () => {
    assert.match(entryProblem(e('keep', '5'), '0') ?? '', /keep must have after "0" \(the given label\), not "5"/);
    assert.match(entryProblem(e('other', '5'), '0') ?? '', /other must have after "other"/);
    assert.match(entryProblem(e('skip', '5'), '0') ?? '', /skip must have after null/);
    assert.match(entryProblem(e('relabel', null), '0') ?? '', /relabel must name the label/);
    assert.match(entryProblem(e('accept', null), '0') ?? '', /accept must name the label/);
  });
});

describe('trainingLabels', () => {
  test("a pool sample trains only once decided, with a label of the project; a training sample's as finalLabels gives it", () => {
    const split = [
      { id: 'a', label: '0', split: 'train' as const },
      { id: 'p1', label: '5', split: 'pool' as const },
      { id: 'p2', label: '6', split: 'pool' as const },
      { id: 'p3', label: null, split: 'pool' as const },
      { id: 'p4', label: '7', split: 'pool' as const },
      { id: 'p5', label: '9', split: 'pool' as const },
    ];
    const fold = foldJournal(
      [
        d('a', 'relabel', '3', 'A', 1),
        d('p2', 'keep', '6', 'A', 1),
        d('p3', 'relabel', '4', 'A', 1),
        d('p4', 'skip', null, 'A', 1),
        d('p5', 'keep', '9', 'A', 1),
      ],
      givenLabelsOf(split),
    );
    const labels = new Set(['0', '1', '2', '3', '4', '5', '6', '7', 'other']);
    // p5 keeps '9', a class the project does not have: it does not become one of the model's.
    assert.deepEqual(trainingLabels(split, fold, labels), ['3', null, '6', '4', null, null]);
    assert.deepEqual(finalLabels(split, fold), ['3', '5', '6', '4', '7', '9']);
  });
});
