// Imported predictions (issue 11, `unsure score --pred-probs`): a bad .npy or CSV of
// probabilities or features is refused, naming the file and the problem (and the row), and
// nothing is written.
import { join } from 'node:path';
import { encodeNpy } from '../unit/npy-fixtures.js';
import type { CaseDef, Expectation } from './corpus-types.js';
import { PER_CLASS, digitFolder } from './datasets.js';
import { put } from './images.js';

/** 3 classes x 12 files: the rows `unsure manifest` lists for digitFolder, in its order. */
const N = 3 * PER_CLASS;
const NOT_STACK = [/\n\s+at .*\(.*:\d+:\d+\)/];

function predictionCase(
  name: string,
  files: (dir: string) => { probs: string; more?: string[] },
  expect: Omit<Expectation, 'code'>,
): CaseDef {
  return {
    name,
    issue: 'own',
    build: async ({ dir }) => {
      const train = digitFolder(join(dir, 'data'));
      const { probs, more = [] } = files(dir);
      const out = join(dir, 'out', 'scores.csv');
      return {
        argv: ['score', '--train', train, '--out', out, '--pred-probs', probs, ...more],
        expect: { ...expect, code: 'refused', stderrNot: NOT_STACK },
      };
    },
  };
}

/** A confident probability row per file (class k of 3 for file k % 3). */
const good = Array.from({ length: N * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 0.98 : 0.01));

export const PREDICTION_CASES: CaseDef[] = [
  predictionCase('pred-probs-npy-bad-magic', (dir) => ({ probs: put(join(dir, 'preds', 'p.npy'), 'path,0,1,2\n') }), {
    named: ['p.npy'],
    problem: [/bad magic/],
  }),
  predictionCase('pred-probs-npy-1-d', (dir) => ({ probs: put(join(dir, 'preds', 'p.npy'), encodeNpy(good)) }), {
    named: ['p.npy'],
    problem: [/must be a 2-D array/],
  }),
  predictionCase(
    'pred-probs-npy-truncated',
    (dir) => ({ probs: put(join(dir, 'preds', 'p.npy'), encodeNpy(good, { shape: [N, 3], cut: 40 })) }),
    { named: ['p.npy'], problem: [/truncated data/] },
  ),
  predictionCase(
    'pred-probs-npy-too-few-rows',
    (dir) => ({ probs: put(join(dir, 'preds', 'p.npy'), encodeNpy(good.slice(0, 30), { shape: [10, 3] })) }),
    { named: ['p.npy'], problem: [/10 rows, .* lists 36 files/] },
  ),
  predictionCase(
    'pred-probs-npy-class-count',
    (dir) => ({
      probs: put(join(dir, 'preds', 'p.npy'), encodeNpy(Array<number>(N * 2).fill(0.5), { shape: [N, 2] })),
    }),
    { named: ['p.npy'], problem: [/2 probability columns, .* 3 classes/] },
  ),
  predictionCase(
    'pred-probs-logits-not-summing-to-1',
    (dir) => ({
      probs: put(
        join(dir, 'preds', 'p.npy'),
        encodeNpy(
          good.map((v, i) => (i === 9 ? 3.5 : v)),
          { shape: [N, 3] },
        ),
      ),
    }),
    { named: ['p.npy', 'row 4'], problem: [/sum to .*, not 1/] },
  ),
  predictionCase(
    'pred-probs-csv-nan',
    (dir) => {
      const rows = Array.from({ length: N }, (_, i) => `${i % 3}/${i % 3}-${Math.floor(i / 3)}.png,NaN,0.5,0.5`);
      return { probs: put(join(dir, 'preds', 'p.csv'), `path,0,1,2\n${rows.join('\n')}\n`) };
    },
    { named: ['p.csv', 'line 2'], problem: [/is NaN/] },
  ),
  predictionCase(
    'pred-probs-csv-unknown-path',
    (dir) => ({ probs: put(join(dir, 'preds', 'p.csv'), 'path,0,1,2\nnot/in/the/dataset.png,0.2,0.3,0.5\n') }),
    { named: ['p.csv', 'not/in/the/dataset.png'], problem: [/names no file of the dataset/] },
  ),
  predictionCase(
    'features-row-count-mismatch',
    (dir) => ({
      probs: put(join(dir, 'preds', 'p.npy'), encodeNpy(good, { shape: [N, 3] })),
      more: ['--features', put(join(dir, 'preds', 'f.npy'), encodeNpy([1, 2, 3, 4], { shape: [2, 2] }))],
    }),
    { named: ['f.npy'], problem: [/2 feature rows/] },
  ),
];
