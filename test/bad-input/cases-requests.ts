// Whole requests that cannot work (issue 8, items 8, 9, 10 and the dataset's own shapes):
// refused before any work with a message naming the flag, dataset or model and the problem;
// plus the runs that must go on past many bad files or a folder link loop.
import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { encodeIdxImages, encodeIdxLabels } from '../../src/main/engine/datasets/idx.js';
import type { CaseDef, Expectation } from './corpus-types.js';
import { digitFolder, digitPool, scoreWithModel } from './datasets.js';
import { cut, digit, digitPng, put } from './images.js';

const NOT_TF = [/TF_Status/, /\n\s+at .*\(.*:\d+:\d+\)/];
const refused = (named: string[], problem: RegExp[], not: RegExp[] = []): Expectation => ({
  code: 'refused',
  named,
  problem,
  stderrNot: [...not, ...NOT_TF],
});
const usage = (flag: string, problem: RegExp[], not: RegExp[] = []): Expectation => ({
  code: 2,
  named: [flag],
  problem,
  stderrNot: not,
});

/** An IDX pair of `n` digits (classes 0..2) in `dir`; returns [images, labels] bytes for breaking. */
function idx(n: number): [Buffer, Buffer] {
  const pixels = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    pixels.set(digit(i % 3, Math.floor(i / 3)), i * 784);
    labels[i] = i % 3;
  }
  return [Buffer.from(encodeIdxImages(pixels, n, 28, 28)), Buffer.from(encodeIdxLabels(labels))];
}

export const REQUEST_CASES: CaseDef[] = [
  {
    name: 'train-path-of-128-kb',
    issue: '8',
    build: async ({ dir }) => {
      const long = join(dir, 'data', 'a/'.repeat(64 * 1024));
      put(join(dir, 'out', '.keep'), '');
      return {
        argv: ['score', '--train', long, '--out', join(dir, 'out', 'scores.csv'), '--epochs', '1'],
        expect: refused([], [/too long|ENAMETOOLONG|longer than/i]),
      };
    },
  },
  {
    name: 'model-of-3-classes-on-10-class-data',
    issue: '9',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const pool = digitPool(join(dir, 'pool'));
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'scores.csv'), shared.model3),
        expect: refused([], [/class/i, /model/i, /\b[3-9]\b/]),
      };
    },
  },
  {
    name: 'classes-a-to-j-on-a-model-of-0-to-9',
    issue: '10',
    build: async ({ dir, shared }) => {
      const data = join(dir, 'data');
      for (let c = 0; c < 10; c++) {
        for (let k = 0; k < 12; k++) put(join(data, 'abcdefghij'[c]!, `${c}-${k}.png`), digitPng(c, k));
      }
      const pool = digitPool(join(dir, 'pool'));
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'scores.csv'), shared.model10),
        expect: refused([], [/class/i, /model/i], [/heldOutIndices/]),
      };
    },
  },
  {
    name: '500-classes-of-2-images',
    issue: '10',
    build: async ({ dir }) => {
      const data = join(dir, 'data');
      for (let c = 0; c < 500; c++) {
        const name = `c${String(c).padStart(3, '0')}`;
        for (let j = 0; j < 2; j++) put(join(data, name, `${j}.png`), digitPng(c % 10, 2 * Math.floor(c / 10) + j));
      }
      const pool = digitPool(join(dir, 'pool'));
      // `train` alone gets through; scoring is where it ends in "not positive definite" today.
      return {
        argv: ['score', '--train', data, '--pool', pool, '--out', join(dir, 'out', 'scores.csv'), '--epochs', '1'],
        expect: refused([], [/class/i, /\b2\b|too few|at least/i], [/positive definite|fitTiedGaussian/]),
      };
    },
  },
  {
    name: 'dataset-of-only-other',
    issue: '10',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'), [0]);
      renameSync(join(data, '0'), join(data, 'other'));
      return {
        argv: ['score', '--train', data, '--out', join(dir, 'out', 'scores.csv'), '--epochs', '1'],
        expect: refused(['other'], [/class|label/i], [/^.*no labeled samples[^\n]*$/m]),
      };
    },
  },
  {
    name: 'epochs-minus-1',
    issue: '10',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      return {
        argv: ['score', '--train', data, '--out', join(dir, 'out.csv'), '--epochs', '-1'],
        expect: usage('--epochs', [/-1/], [/ambiguous/i]),
      };
    },
  },
  {
    name: 'epochs-0',
    issue: 'own',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      return {
        argv: ['train', '--train', data, '--out', join(dir, 'model'), '--epochs', '0'],
        expect: usage('--epochs', [/integer|at least|from 1/i]),
      };
    },
  },
  {
    name: 'max-pixels-0',
    issue: '6',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      return {
        argv: ['score', '--train', data, '--out', join(dir, 'out.csv'), '--max-pixels', '0'],
        expect: usage('--max-pixels', [/0/]),
      };
    },
  },
  {
    name: 'max-file-mb-abc',
    issue: '6',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      return {
        argv: ['train', '--train', data, '--out', join(dir, 'model'), '--max-file-mb', 'abc'],
        expect: usage('--max-file-mb', [/abc/]),
      };
    },
  },
  {
    name: 'empty-dataset-folder',
    issue: 'own',
    build: async ({ dir }) => {
      const data = join(dir, 'data');
      put(join(dir, 'out', '.keep'), '');
      mkdirSync(data);
      return {
        argv: ['score', '--train', data, '--out', join(dir, 'out', 'scores.csv'), '--epochs', '1'],
        expect: refused([data], [/empty|no images/i]),
      };
    },
  },
  {
    name: 'class-folders-all-empty',
    issue: 'own',
    build: async ({ dir }) => {
      const data = join(dir, 'data');
      for (const c of ['0', '1', '2']) mkdirSync(join(data, c), { recursive: true });
      put(join(dir, 'out', '.keep'), '');
      return {
        argv: ['train', '--train', data, '--out', join(dir, 'out', 'model'), '--epochs', '1'],
        expect: refused([data], [/empty|no images/i]),
      };
    },
  },
  {
    name: 'pool-does-not-exist',
    issue: '10',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      put(join(dir, 'out', '.keep'), '');
      const pool = join(dir, 'no-such-pool');
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'scores.csv'), shared.model3),
        expect: refused([pool], [/not found|does not exist/i]),
      };
    },
  },
  {
    name: 'train-is-a-single-image',
    issue: 'own',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      put(join(dir, 'out', '.keep'), '');
      return {
        argv: ['score', '--train', join(data, '1', '1-0.png'), '--out', join(dir, 'out', 'scores.csv')],
        expect: refused(['1-0.png'], [/single image|folder/i]),
      };
    },
  },
  {
    name: 'idx-wrong-magic',
    issue: 'own',
    build: async ({ dir }) => {
      const [images, labels] = idx(36);
      images[3] = 1;
      put(join(dir, 'data', 'data-images-idx3-ubyte'), images);
      put(join(dir, 'data', 'data-labels-idx1-ubyte'), labels);
      put(join(dir, 'out', '.keep'), '');
      return {
        argv: ['train', '--train', join(dir, 'data'), '--out', join(dir, 'out', 'model'), '--epochs', '1'],
        expect: refused(['data-images-idx3-ubyte'], [/magic/i]),
      };
    },
  },
  {
    name: 'idx-truncated',
    issue: 'own',
    build: async ({ dir }) => {
      const [images, labels] = idx(36);
      put(join(dir, 'data', 'data-images-idx3-ubyte'), cut(images, 0.6));
      put(join(dir, 'data', 'data-labels-idx1-ubyte'), labels);
      put(join(dir, 'out', '.keep'), '');
      return {
        argv: ['train', '--train', join(dir, 'data'), '--out', join(dir, 'out', 'model'), '--epochs', '1'],
        expect: refused(['data-images-idx3-ubyte'], [/truncat|short|bytes/i]),
      };
    },
  },
  {
    name: 'idx-labels-fewer-than-images',
    issue: 'own',
    build: async ({ dir }) => {
      const [images] = idx(36);
      const [, labels] = idx(30);
      put(join(dir, 'data', 'data-images-idx3-ubyte'), images);
      put(join(dir, 'data', 'data-labels-idx1-ubyte'), labels);
      put(join(dir, 'out', '.keep'), '');
      return {
        argv: ['train', '--train', join(dir, 'data'), '--out', join(dir, 'out', 'model'), '--epochs', '1'],
        expect: refused(['data-labels-idx1-ubyte'], [/30/, /36/]),
      };
    },
  },
  {
    name: 'thirteen-bad-files-named-ten-then-a-count',
    issue: 'own',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      const bad = Array.from({ length: 13 }, (_, i) => `bad-${String(i).padStart(2, '0')}.png`);
      for (const name of bad) put(join(pool, name), `not an image: ${name}\n`);
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'scores.csv'), shared.model3),
        expect: {
          code: 0,
          named: bad.slice(0, 10),
          problem: [/\b(13|3 more|3 others)\b/],
          stderrNot: [/bad-1[0-2]\.png/],
          report: true,
          reportNames: bad,
          outputs: ['out/scores.csv'],
          mustExist: ['out/scores.csv'],
        },
      };
    },
  },
  {
    name: 'pool-of-only-bad-files',
    issue: 'own',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = join(dir, 'pool');
      put(join(pool, 'a.png'), 'not an image\n');
      put(join(pool, 'b.jpg'), '');
      put(join(dir, 'out', '.keep'), '');
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'scores.csv'), shared.model3),
        expect: refused(['a.png'], [/no (usable|readable|images)|nothing|none|all/i]),
      };
    },
  },
  {
    name: 'class-folder-link-loop',
    issue: 'own',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      symlinkSync('..', join(data, '1', 'again'));
      symlinkSync('.', join(data, 'self'));
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'scores.csv'), shared.model3),
        expect: { code: 0, named: [], problem: [], outputs: ['out/scores.csv'], mustExist: ['out/scores.csv'] },
      };
    },
  },
  {
    name: 'score-trains-past-a-bad-file',
    issue: '10',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      put(join(pool, 'broken.png'), cut(digitPng(0, 60), 0.3));
      return {
        argv: ['score', '--train', data, '--pool', pool, '--out', join(dir, 'out', 'scores.csv'), '--epochs', '1'],
        expect: {
          code: 0,
          named: ['broken.png'],
          problem: [/truncat|corrupt|incomplete|cannot be decoded|invalid/i],
          stderrNot: NOT_TF,
          report: true,
          outputs: ['out/scores.csv'],
          mustExist: ['out/scores.csv'],
        },
      };
    },
  },
];
