// The score CSV: RFC 4180 quoting of awkward paths and labels, empty cells for NaN, ranks
// by review priority, flag names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DoubtFlag } from '../../src/shared/api.js';
import type { EngineSample, ScoreTable } from '../../src/main/engine/engine-types.js';
import { csvCell } from '../../src/main/engine/datasets/csv.js';
import { SCORE_CSV_COLUMNS, flagNames, scoreTableToCsv } from '../../src/main/engine/pipeline/score-csv.js';
import { fileRows } from '../../src/main/engine/pipeline/file-rows.js';

test('cells with commas, quotes, newlines or edge spaces are quoted', () => {
  assert.equal(csvCell('plain/path.png'), 'plain/path.png');
  assert.equal(csvCell('a,b.png'), '"a,b.png"');
  assert.equal(csvCell('say "hi".png'), '"say ""hi"".png"');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell(' lead'), '" lead"');
});

test('rows carry every column, NaN as empty, rank 1 for the highest priority', () => {
  const samples: EngineSample[] = [
    { id: 'a', path: 'x,1.png', label: 'cat', file: null, split: 'pool' },
    { id: 'b', path: 'y.png', label: null, file: null, split: 'pool' },
  ];
  const f = (a: number, b: number) => Float32Array.of(a, b);
  const table = {
    modelVersion: 'v',
    classes: ['cat', 'dog'],
    probs: Float32Array.of(0.9, 0.1, 0.3, 0.7),
    predicted: Int32Array.of(0, 1),
    confidence: f(0.9, 0.7),
    msp: f(0.1, 0.3),
    margin: f(0.2, 0.6),
    entropy: f(0.3, 0.6),
    energy: f(-5, -2),
    knnDistance: f(0.1, 0.5),
    mcDisagreement: f(Number.NaN, 0.0625),
    oodScore: f(0.2, 3),
    labelIssue: f(0.05, Number.NaN),
    reviewPriority: f(0.1, 2),
    flags: Uint8Array.of(0, DoubtFlag.ood | DoubtFlag.lowConfidence),
  } as unknown as ScoreTable;
  const lines = scoreTableToCsv(table, fileRows(samples, [])).trimEnd().split('\n');
  assert.equal(lines[0], SCORE_CSV_COLUMNS.join(','));
  assert.equal(lines[1], 'a,"x,1.png",pool,cat,cat,0.9,0.1,0.2,0.3,-5,0.1,,0.2,0.05,0.1,2,,');
  assert.equal(lines[2], 'b,y.png,pool,,dog,0.7,0.3,0.6,0.6,-2,0.5,0.0625,3,,2,1,ood;low_confidence,');
  assert.equal(SCORE_CSV_COLUMNS[SCORE_CSV_COLUMNS.indexOf('knn_distance') + 1], 'mc_disagreement');
  assert.equal(flagNames(DoubtFlag.labelIssue), 'label_issue');
});
