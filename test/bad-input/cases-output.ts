// Where the output goes (issue 8, items 1, 2, 4 and the read-only --out of item 10): an
// output inside a dataset or over a user's folder is refused before any work, touching
// nothing; a folder Unsure made may be replaced; look-alike temp names of others survive.
import { chmodSync, cpSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseDef, Expectation } from './corpus-types.js';
import { digitFolder, digitManifest, digitPool, scoreWithModel } from './datasets.js';
import { cut, digitPng, put } from './images.js';

const INSIDE = /inside|within|in(to)? the dataset|dataset root|read-only|would (over)?write/i;
const NOT_TF = [/TF_Status/, /ENOENT/, /\.tmp-|unsure-tmp/];
const refused = (named: string[], problem: RegExp[]): Expectation => ({
  code: 'refused',
  named,
  problem,
  stderrNot: NOT_TF,
});

/**
 * A folder where writing is refused. chmod 555 does not stop root (tests here run as root),
 * so a probe decides: the folder itself when the mode holds, else a folder under /proc,
 * which no one may create files in.
 */
export function unwritableDir(dir: string): string {
  put(join(dir, '.keep'), '');
  chmodSync(dir, 0o555);
  const probe = join(dir, 'probe');
  try {
    writeFileSync(probe, '');
  } catch {
    return dir;
  }
  rmSync(probe);
  chmodSync(dir, 0o755);
  return '/proc';
}

export const OUTPUT_CASES: CaseDef[] = [
  {
    name: 'train-out-is-the-train-dataset',
    issue: '1',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      return { argv: ['train', '--train', data, '--out', data, '--epochs', '1'], expect: refused([data], [INSIDE]) };
    },
  },
  {
    name: 'train-out-is-a-users-folder',
    issue: '1',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      const mine = join(dir, 'out', 'thesis');
      put(join(mine, 'chapter1.txt'), 'Months of work.\n');
      put(join(mine, 'figures', 'fig1.png'), digitPng(3, 1));
      return {
        argv: ['train', '--train', data, '--out', mine, '--epochs', '1'],
        expect: refused([mine], [/not empty|non-empty|not made by Unsure|not an Unsure|already (exists|holds)/i]),
      };
    },
  },
  {
    name: 'train-out-inside-the-dataset',
    issue: '1',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      return {
        argv: ['train', '--train', data, '--out', join(data, 'model'), '--epochs', '1'],
        expect: refused([data], [INSIDE]),
      };
    },
  },
  {
    name: 'score-out-onto-the-manifest',
    issue: '2',
    build: async ({ dir, shared }) => {
      const manifest = digitManifest(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      return {
        argv: scoreWithModel(manifest, pool, manifest, shared.model3),
        expect: refused(['manifest.csv'], [INSIDE]),
      };
    },
  },
  {
    name: 'score-out-onto-a-dataset-image',
    issue: '2',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      const image = join(data, '0', '0-0.png');
      return { argv: scoreWithModel(data, pool, image, shared.model3), expect: refused(['0-0.png'], [INSIDE]) };
    },
  },
  {
    name: 'score-out-inside-the-pool',
    issue: '2',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      return {
        argv: scoreWithModel(data, pool, join(pool, 'scores.csv'), shared.model3),
        expect: refused([pool], [INSIDE]),
      };
    },
  },
  {
    name: 'score-out-into-the-dataset-through-a-link',
    issue: '2',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      put(join(dir, 'out', '.keep'), '');
      symlinkSync('../data', join(dir, 'out', 'into'));
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'into', 'scores.csv'), shared.model3),
        expect: refused(['scores.csv'], [INSIDE]),
      };
    },
  },
  {
    name: 'train-replaces-its-own-model',
    issue: '1',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const model = join(dir, 'out', 'model');
      cpSync(shared.model3, model, { recursive: true });
      return {
        argv: ['train', '--train', data, '--out', model, '--epochs', '1', '--seed', '5'],
        expect: { code: 0, named: [], problem: [], outputs: ['out/model'], mustExist: ['out/model/model.json'] },
      };
    },
  },
  {
    name: 'train-with-a-truncated-image-goes-on',
    issue: '10',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      put(join(data, '2', 'cut.png'), cut(digitPng(2, 50), 0.4));
      return {
        argv: ['train', '--train', data, '--out', join(dir, 'out', 'model'), '--epochs', '1'],
        expect: {
          code: 0,
          named: ['cut.png'],
          problem: [/truncat|corrupt|incomplete|cannot be decoded|invalid/i],
          stderrNot: [/TF_Status/],
          report: true,
          outputs: ['out/model'],
          mustExist: ['out/model/model.json'],
        },
      };
    },
  },
  {
    name: 'score-keeps-others-temp-look-alikes',
    issue: '4',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      // Named like Unsure's temporaries, but made by someone else (pid 1 is never the CLI).
      put(join(dir, 'out', '.scores.csv.tmp-1-0'), 'not yours\n');
      put(join(dir, 'out', 'scores.csv.unsure-tmp-1', 'keep.txt'), 'not yours either\n');
      put(join(dir, 'out', 'scores.csv.tmp-1', 'keep.txt'), 'nor this\n');
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'scores.csv'), shared.model3),
        expect: { code: 0, named: [], problem: [], outputs: ['out/scores.csv'], mustExist: ['out/scores.csv'] },
      };
    },
  },
  {
    name: 'score-replaces-its-earlier-csv',
    issue: '3',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      put(join(dir, 'out', 'scores.csv'), 'id,path\nold,row\n');
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'scores.csv'), shared.model3),
        expect: { code: 0, named: [], problem: [], outputs: ['out/scores.csv'], mustExist: ['out/scores.csv'] },
      };
    },
  },
  {
    name: 'score-read-only-out-folder',
    issue: '10',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      const ro = unwritableDir(join(dir, 'out'));
      const out = join(ro, 'unsure-corpus-scores.csv');
      return {
        // Training first would be the late failure the issue reports: the check comes first.
        argv: ['score', '--train', data, '--out', out, '--epochs', '1'],
        expect: refused([ro], [/writ|read-only|permission|denied|EACCES|EROFS/i]),
        // Today `train` hangs for ever after training when it cannot save: a child can be killed.
        spawn: true,
      };
    },
  },
  {
    name: 'train-read-only-out-folder',
    issue: '10',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      const ro = unwritableDir(join(dir, 'out'));
      return {
        argv: ['train', '--train', data, '--out', join(ro, 'unsure-corpus-model'), '--epochs', '1'],
        expect: refused([ro], [/writ|read-only|permission|denied|EACCES|EROFS/i]),
        // Today `train` hangs for ever after training when it cannot save: a child can be killed.
        spawn: true,
      };
    },
  },
  {
    name: 'train-out-is-a-file',
    issue: 'own',
    build: async ({ dir }) => {
      const data = digitFolder(join(dir, 'data'));
      const file = put(join(dir, 'out', 'model.txt'), 'a user file\n');
      return {
        argv: ['train', '--train', data, '--out', file, '--epochs', '1'],
        expect: refused(['model.txt'], [/file|folder/i]),
      };
    },
  },
  {
    name: 'score-out-is-a-folder',
    issue: 'own',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      const folder = join(dir, 'out', 'results');
      put(join(folder, 'a.txt'), 'kept\n');
      return {
        argv: scoreWithModel(data, pool, folder, shared.model3),
        expect: refused(['results'], [/folder|directory/i]),
      };
    },
  },
  {
    name: 'score-out-under-a-file',
    issue: 'own',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      put(join(dir, 'out', 'afile'), 'a file, not a folder\n');
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'afile', 'scores.csv'), shared.model3),
        expect: refused(['afile'], [/folder|directory|not exist|ENOTDIR/i]),
      };
    },
  },
  {
    name: 'score-out-folder-missing',
    issue: 'own',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      const out = join(dir, 'out', 'no-such-folder', 'scores.csv');
      put(join(dir, 'out', '.keep'), '');
      return {
        argv: scoreWithModel(data, pool, out, shared.model3),
        expect: refused(['no-such-folder'], [/not exist|missing|not found/i]),
      };
    },
  },
  {
    name: 'score-out-with-a-nul',
    issue: 'own',
    build: async ({ dir, shared }) => {
      const data = digitFolder(join(dir, 'data'));
      const pool = digitPool(join(dir, 'pool'));
      put(join(dir, 'out', '.keep'), '');
      return {
        argv: scoreWithModel(data, pool, join(dir, 'out', 'sc\0ores.csv'), shared.model3),
        expect: refused(['--out'], [/NUL|null|invalid|control character/i]),
      };
    },
  },
];
