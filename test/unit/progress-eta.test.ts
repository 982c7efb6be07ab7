import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EtaEstimator, type StageProgress } from '../../src/main/engine/progress-eta.js';

const at = (fraction: number, more: Partial<StageProgress> = {}): StageProgress => ({
  task: 'score',
  phase: 'embedding',
  fraction,
  ...more,
});

test('the ETA is the rate since the stage began, once it has run long enough to mean something', () => {
  let now = 0;
  const est = new EtaEstimator(() => now);
  assert.equal(est.fill('j', at(0.1)).etaSec, undefined, 'the first report starts the clock');
  now = 1000;
  assert.equal(est.fill('j', at(0.2)).etaSec, undefined, 'too early');
  now = 4000;
  // 0.3 of the job in 4 s: the 0.6 left takes 8 s.
  assert.equal(est.fill('j', at(0.4)).etaSec, 8);
  now = 5000;
  assert.equal(est.fill('j', at(0.4, { etaSec: 30 })).etaSec, 30, 'a stage that knows its own ETA keeps it');
});

test('a new phase, a fraction going back or an ended job start the clock again', () => {
  let now = 0;
  const est = new EtaEstimator(() => now);
  est.fill('j', at(0));
  now = 10_000;
  assert.equal(est.fill('j', at(0.5)).etaSec, 10);
  assert.equal(est.fill('j', at(0.5, { phase: 'neighbours' })).etaSec, undefined, 'another phase');
  now = 20_000;
  assert.equal(est.fill('j', at(0.75, { phase: 'neighbours' })).etaSec, 10);
  assert.equal(est.fill('j', at(0.1, { phase: 'neighbours' })).etaSec, undefined, 'went back');
  est.end('j');
  now = 30_000;
  assert.equal(est.fill('j', at(0.9, { phase: 'neighbours' })).etaSec, undefined, 'the job ended');
});

test('jobs are timed apart: a label check reporting between them does not reset the other', () => {
  let now = 0;
  const est = new EtaEstimator(() => now);
  est.fill('open', at(0));
  est.fill('labelcheck', at(0, { task: 'labelcheck', phase: 'folds' }));
  now = 4000;
  est.fill('labelcheck', at(0.5, { task: 'labelcheck', phase: 'folds' }));
  assert.equal(est.fill('open', at(0.2)).etaSec, 16);
});
