import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DoubtFlag, FileFlag, OTHER_BY_DISTANCE } from '../../src/shared/api.js';
import { ANY, DEFAULT_FILTER, doubtCounts, filterRows, UNLABELED } from '../../src/renderer/src/queue/filter.js';
import { certainty, labelDoubtNote, labelTabNote, percent, tileName } from '../../src/renderer/src/queue/describe.js';
import { applyJobEvent } from '../../src/renderer/src/jobs/jobs.js';

const q = {
  flags: [DoubtFlag.ood, DoubtFlag.lowConfidence | DoubtFlag.labelIssue, 0, DoubtFlag.ood | DoubtFlag.labelIssue],
  predicted: [0, 1, 2, 0],
  given: [-1, 3, 2, 5],
};

describe('filterRows', () => {
  const none = new Uint8Array(4);
  test('keeps queue order and filters by doubt kind', () => {
    assert.deepEqual([...filterRows(q, none, DEFAULT_FILTER)], [0, 1, 2, 3]);
    assert.deepEqual([...filterRows(q, none, { ...DEFAULT_FILTER, doubt: 'ood' })], [0, 3]);
    assert.deepEqual([...filterRows(q, none, { ...DEFAULT_FILTER, doubt: 'labelIssue' })], [1, 3]);
  });
  test('by predicted class, given label, unlabeled, and decision state', () => {
    assert.deepEqual([...filterRows(q, none, { ...DEFAULT_FILTER, predicted: 0 })], [0, 3]);
    assert.deepEqual([...filterRows(q, none, { ...DEFAULT_FILTER, given: 5 })], [3]);
    assert.deepEqual([...filterRows(q, none, { ...DEFAULT_FILTER, given: UNLABELED })], [0]);
    const decided = Uint8Array.from([0, 1, 0, 1]);
    assert.deepEqual([...filterRows(q, decided, { ...DEFAULT_FILTER, decision: 'toReview' })], [0, 2]);
    assert.deepEqual(
      [...filterRows(q, decided, { doubt: 'ood', predicted: ANY, given: ANY, decision: 'decided', files: 'all' })],
      [3],
    );
  });
  test('by files: samples with copies, or with copies labeled differently', () => {
    const withFiles = {
      ...q,
      flags: [FileFlag.copies, DoubtFlag.labelIssue | FileFlag.copies | FileFlag.labelConflict, 0, DoubtFlag.ood],
    };
    assert.deepEqual([...filterRows(withFiles, none, { ...DEFAULT_FILTER, files: 'copies' })], [0, 1]);
    assert.deepEqual([...filterRows(withFiles, none, { ...DEFAULT_FILTER, files: 'labelConflict' })], [1]);
    // File bits are not doubts: they change no tab count.
    assert.deepEqual(doubtCounts(withFiles.flags), { all: 4, lowConfidence: 0, ood: 1, labelIssue: 1 });
    assert.equal(
      tileName({
        predicted: '5',
        confidence: 0.9,
        flags: DoubtFlag.labelIssue | FileFlag.copies | FileFlag.labelConflict,
        given: null,
        decision: null,
      }),
      'predicted 5, 90% confident, likely label error, has identical files, identical files labeled differently',
    );
  });
  test('counts per tab', () => {
    assert.deepEqual(doubtCounts(q.flags), { all: 4, lowConfidence: 1, ood: 2, labelIssue: 2 });
  });
});

describe('tile words', () => {
  test('the accessible name says what the model thinks and why the tile is here', () => {
    assert.equal(
      tileName({ predicted: '0', confidence: 0.99996, flags: DoubtFlag.ood, given: null, decision: null }),
      'predicted 0, 100% confident, out-of-distribution',
    );
    assert.equal(
      tileName({
        predicted: '3',
        confidence: 0.5,
        flags: DoubtFlag.lowConfidence | DoubtFlag.labelIssue,
        given: '5',
        decision: { label: 'other', action: 'other' },
      }),
      'predicted 3, 50% confident, low confidence, likely label error, given 5, decided other',
    );
    assert.equal(percent(0.0123), '1.2%');
  });

  test('a sample called "other" for its distance is "far", not its tiny p(other)', () => {
    const flags = DoubtFlag.ood | OTHER_BY_DISTANCE;
    assert.equal(certainty(0.001, flags), 'far');
    assert.equal(certainty(0.001, DoubtFlag.ood), '0.1%');
    assert.equal(
      tileName({ predicted: 'other', confidence: 0.001, flags, given: null, decision: null }),
      'predicted other, far from every known class, out-of-distribution',
    );
  });
});

describe('label doubts of a weak model', () => {
  test('are said to be mostly its own mistakes below 90% held-out accuracy', () => {
    assert.match(
      labelDoubtNote(0.719) ?? '',
      /right on 71\.9% of held-out samples, so many of these are its own mistakes/,
    );
    assert.equal(labelDoubtNote(0.95), null);
    assert.equal(labelDoubtNote(null), null);
  });

  test('while the label check runs, the tab says so instead of looking empty of label errors', () => {
    assert.equal(
      labelTabNote({ fraction: 0.456, etaSec: 75 }, 0.719),
      'Checking the labels with models that never saw them: 46%, about 1 min 15 s left. ' +
        'Likely label errors join this tab when the check finishes.',
    );
    assert.match(labelTabNote({ fraction: 1.2 }, 0.99) ?? '', /them: 100%\. Likely/);
    assert.equal(labelTabNote(null, 0.719), labelDoubtNote(0.719), 'after it, the weak-model note as before');
    assert.equal(labelTabNote(null, 0.99), null);
  });
});

describe('applyJobEvent', () => {
  test('tracks a job from progress to done and ignores late progress', () => {
    let jobs = applyJobEvent(new Map(), {
      type: 'progress',
      jobId: 'j',
      task: 'train',
      phase: 'fit',
      fraction: 0.5,
      message: 'epoch 1',
    });
    assert.equal(jobs.get('j')?.progress?.fraction, 0.5);
    jobs = applyJobEvent(jobs, { type: 'done', jobId: 'j', task: 'score', result: { ok: 1 } });
    assert.equal(jobs.get('j')?.status, 'done');
    const after = applyJobEvent(jobs, {
      type: 'progress',
      jobId: 'j',
      task: 'train',
      phase: 'fit',
      fraction: 0.9,
      message: '',
    });
    assert.equal(after, jobs);
    assert.equal(
      applyJobEvent(jobs, { type: 'error', jobId: 'k', task: 'export', message: 'EACCES' }).get('k')?.error,
      'EACCES',
    );
    // The desktop menu's commands are no job: the jobs are left as they are.
    assert.equal(applyJobEvent(jobs, { type: 'menu', command: 'retrain' }), jobs);
  });
});
