// `unsure train` / `unsure score` refuse a bad output before any work: run with a module
// hook that makes TensorFlow impossible to import, so a refusal that came after loading it
// would show. The dataset's bytes are unchanged and nothing is left behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { joinNegativeValues } from '../../src/main/commands/cli-common.js';
import { skippedSummary, writeSkippedReport } from '../../src/main/commands/skipped-report.js';
import { tempDir } from './model-fixtures.js';
import { NO_TENSORFLOW_HOOK } from './no-tensorflow.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = tempDir('unsure-cli-refuse-');
after(tmp.cleanup);
const at = (...p: string[]) => path.join(tmp.dir, ...p);

function unsureWithoutTf(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', NO_TENSORFLOW_HOOK, path.join(root, 'bin', 'unsure.mjs'), ...args],
    {
      cwd: tmp.dir,
      encoding: 'utf8',
      env: { ...process.env, UNSURE_HOME: at('home') },
    },
  );
  return { code: r.status, err: r.stdout + r.stderr };
}

/** Every file under dir with its hash: the dataset before and after must be identical. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) {
      const f = path.join(e.parentPath, e.name);
      out[path.relative(dir, f)] = createHash('sha256').update(readFileSync(f)).digest('hex');
    }
  return out;
}

const ds = at('ds');
for (const c of ['a', 'b']) {
  mkdirSync(path.join(ds, c), { recursive: true });
  for (let i = 0; i < 3; i++) writeFileSync(path.join(ds, c, `${i}.png`), `not really a png ${c}${i}`);
}
writeFileSync(path.join(ds, 'manifest.csv'), 'path,label\na/0.png,a\nb/0.png,b\n');
const readOnly = process.getuid?.() === 0 ? '/sys' : at('ro');
if (readOnly !== '/sys') mkdirSync(readOnly, { mode: 0o555 });

const CASES: { name: string; args: string[]; message: RegExp }[] = [
  {
    name: 'train --out the dataset itself',
    args: ['train', '--train', ds, '--out', ds],
    message: /--out .*ds is inside the source dataset/,
  },
  {
    name: 'train --out inside the dataset',
    args: ['train', '--train', ds, '--out', path.join(ds, 'model')],
    message: /inside the source dataset/,
  },
  {
    name: 'train --out a folder holding the dataset',
    args: ['train', '--train', ds, '--out', tmp.dir],
    message: /holds the dataset/,
  },
  {
    name: 'train --out a non-empty folder of the user',
    args: ['train', '--train', ds, '--out', at('user')],
    message: /user is not empty .*Unsure did not make it/,
  },
  {
    name: 'train --out in a read-only folder',
    args: ['train', '--train', ds, '--out', path.join(readOnly, 'model')],
    message: new RegExp(`cannot write in folder ${readOnly}`),
  },
  {
    name: 'train --epochs -1',
    args: ['train', '--train', ds, '--out', at('m'), '--epochs', '-1'],
    message: /--epochs must be an integer from 1 to 200, got '-1'/,
  },
  {
    name: 'score --out the manifest',
    args: ['score', '--train', path.join(ds, 'manifest.csv'), '--out', path.join(ds, 'manifest.csv')],
    message: /manifest\.csv is inside the source dataset/,
  },
  {
    name: 'score --out an image of the pool',
    args: ['score', '--train', at('elsewhere'), '--pool', ds, '--out', path.join(ds, 'a', '0.png')],
    message: /0\.png is inside the source dataset/,
  },
  {
    name: 'score --out in a read-only folder',
    args: ['score', '--train', ds, '--out', path.join(readOnly, 'x.csv')],
    message: new RegExp(`cannot write in folder ${readOnly}`),
  },
  {
    name: 'score --out in a missing folder',
    args: ['score', '--train', ds, '--out', at('nope', 'x.csv')],
    message: /--out: folder .*nope does not exist/,
  },
  {
    name: 'score --project inside the dataset',
    args: ['score', '--train', ds, '--out', at('s.csv'), '--project', path.join(ds, 'p')],
    message: /--project .*inside the source dataset/,
  },
  {
    name: 'score --max-pixels -5',
    args: ['score', '--train', ds, '--out', at('s.csv'), '--max-pixels', '-5'],
    message: /--max-pixels must be a number of megapixels above 0, got '-5'/,
  },
  {
    name: 'export --out a folder holding the dataset',
    args: ['export', '--train', ds, '--out', tmp.dir],
    message: /holds the dataset/,
  },
  {
    name: 'export --out a non-empty folder of the user',
    args: ['export', '--train', ds, '--out', at('user')],
    message: /user is not empty .*Unsure did not make it/,
  },
  {
    name: 'export without --out',
    args: ['export', '--train', ds],
    message: /--out <dir> is required/,
  },
  {
    name: 'score --max-file-mb x',
    args: ['score', '--train', ds, '--out', at('s.csv'), '--max-file-mb', 'x'],
    message: /--max-file-mb must be a number of megabytes above 0, got 'x'/,
  },
];

mkdirSync(at('user'));
writeFileSync(at('user', 'thesis.tex'), 'years of work');

for (const c of CASES) {
  test(`${c.name}: refused before TensorFlow, exit 2, nothing touched`, () => {
    const before = { ds: snapshot(ds), top: readdirSync(tmp.dir).sort(), user: snapshot(at('user')) };
    const r = unsureWithoutTf(...c.args);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, c.message);
    assert.doesNotMatch(r.err, /TensorFlow was imported/);
    assert.deepEqual({ ds: snapshot(ds), top: readdirSync(tmp.dir).sort(), user: snapshot(at('user')) }, before);
  });
}

test('negative values of options are joined so their own check can name them', () => {
  assert.deepEqual(joinNegativeValues(['--epochs', '-1', '--seed', '3', '--strict'], ['epochs', 'seed']), [
    '--epochs=-1',
    '--seed',
    '3',
    '--strict',
  ]);
  assert.deepEqual(joinNegativeValues(['--out', '-x'], ['out']), ['--out', '-x']);
});

test('skipped files: ten named on stderr then a count, all in the report, no report when none', async () => {
  const skipped = Array.from({ length: 13 }, (_, i) => ({
    split: 'train' as const,
    path: `a/${i}.png`,
    reason: 'truncated PNG',
  }));
  const report = at('s.csv.skipped.txt');
  const text = skippedSummary(skipped, report);
  assert.match(text, /^unsure: skipped 13 files \(all listed in .*s\.csv\.skipped\.txt\):\n/);
  assert.equal(text.match(/train: a\/\d+\.png: truncated PNG/g)?.length, 10);
  assert.match(text, /and 3 more\n$/);
  await writeSkippedReport(skipped, report);
  assert.equal(readFileSync(report, 'utf8').split('\n').filter(Boolean).length, 13);
  assert.equal(skippedSummary([], report), '');
  await writeSkippedReport([], report);
  assert.deepEqual(
    readdirSync(tmp.dir).filter((f) => f.includes('skipped')),
    [],
  );
});
