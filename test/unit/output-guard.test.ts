// The output guard: every refusal leaves the file system as it was; a folder Unsure made
// (its marker inside), an empty one or a new one may be written.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { ApiError } from '../../src/shared/api.js';
import { exportDestination } from '../../src/main/engine/export/export-target.js';
import {
  EXPORT_MARKER,
  MODEL_MARKER,
  OutputRefused,
  datasetRoot,
  guardOutput,
} from '../../src/main/engine/project/output-guard.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir('unsure-guard-');
after(tmp.cleanup);
const at = (...p: string[]) => path.join(tmp.dir, ...p);
const ds = at('ds');
mkdirSync(path.join(ds, 'a'), { recursive: true });
writeFileSync(path.join(ds, 'a', 'x.png'), 'png');
writeFileSync(path.join(ds, 'manifest.csv'), 'path,label\na/x.png,a\n');
const listing = () => readdirSync(tmp.dir).sort();

/** A folder nobody may write in: read-only by mode, or /sys when running as root (root ignores modes). */
function readOnlyFolder(): string {
  if (process.getuid?.() === 0) return '/sys';
  const dir = at('ro');
  mkdirSync(dir, { mode: 0o555 });
  return dir;
}

const refuses = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (e: Error) => e instanceof OutputRefused && re.test(e.message));

test('a dataset root is the folder itself, or a manifest or IDX file folder', () => {
  assert.equal(datasetRoot(ds), ds);
  assert.equal(datasetRoot(path.join(ds, 'manifest.csv')), ds);
});

test('refuses any output inside a dataset, also through a symlink or via a manifest path', () => {
  const before = listing();
  for (const [out, kind] of [
    [ds, 'model'],
    [path.join(ds, 'model'), 'model'],
    [path.join(ds, 'manifest.csv'), 'file'],
    [path.join(ds, 'a', 'x.png'), 'file'],
    [path.join(ds, 'export'), 'export'],
    [path.join(ds, 'project'), 'workspace'],
  ] as const) {
    refuses(
      () => guardOutput({ path: out, kind, datasets: [at('elsewhere'), path.join(ds, 'manifest.csv')], what: '--out' }),
      /is inside the source dataset .*ds; datasets are read-only/,
    );
  }
  symlinkSync(ds, at('link'));
  refuses(
    () => guardOutput({ path: at('link', 'out.csv'), kind: 'file', datasets: [ds], what: '--out' }),
    /inside the source dataset/,
  );
  refuses(
    () => guardOutput({ path: path.join(ds, 'out.csv'), kind: 'file', datasets: [at('link')], what: '--out' }),
    /inside the source dataset/,
  );
  assert.deepEqual(listing(), [...before, 'link'].sort());
});

test('refuses a model or export folder that holds the dataset', () => {
  refuses(() => guardOutput({ path: tmp.dir, kind: 'model', datasets: [ds], what: '--out' }), /holds the dataset/);
});

test('refuses a non-empty folder Unsure did not make, and leaves it as it was', () => {
  const user = at('user');
  mkdirSync(user);
  writeFileSync(path.join(user, 'precious.txt'), 'keep');
  for (const kind of ['model', 'export'] as const)
    refuses(
      () => guardOutput({ path: user, kind, datasets: [ds], what: '--out' }),
      /--out .*user is not empty \(1 entries\) and Unsure did not make it/,
    );
  assert.deepEqual(readdirSync(user), ['precious.txt']);
  // A model folder's marker does not make it an export, nor the other way round.
  writeFileSync(path.join(user, MODEL_MARKER), '{}');
  refuses(() => guardOutput({ path: user, kind: 'export', datasets: [ds], what: '--out' }), /did not make it/);
});

test('allows a new, an empty or an Unsure-made folder, and an old-style checkpoint', () => {
  const made = at('made');
  mkdirSync(made);
  writeFileSync(path.join(made, 'model.json'), '{}');
  writeFileSync(path.join(made, MODEL_MARKER), '{}');
  assert.equal(guardOutput({ path: made, kind: 'model', datasets: [ds], what: '--out' }), made);
  const exp = at('exp');
  mkdirSync(exp);
  writeFileSync(path.join(exp, 'manifest.csv'), '');
  writeFileSync(path.join(exp, EXPORT_MARKER), '{}');
  assert.equal(guardOutput({ path: exp, kind: 'export', datasets: [ds], what: 'export folder' }), exp);
  mkdirSync(at('empty'));
  assert.equal(guardOutput({ path: at('empty'), kind: 'model', datasets: [ds], what: '--out' }), at('empty'));
  assert.equal(guardOutput({ path: at('new'), kind: 'model', datasets: [ds], what: '--out' }), at('new'));
  const legacy = at('legacy');
  mkdirSync(legacy);
  writeFileSync(path.join(legacy, 'model.json'), JSON.stringify({ format: 'unsure-cnn-checkpoint' }));
  writeFileSync(path.join(legacy, 'weights.bin'), '');
  assert.equal(guardOutput({ path: legacy, kind: 'model', datasets: [ds], what: '--out' }), legacy);
  writeFileSync(path.join(legacy, 'model.json'), JSON.stringify({ format: 'layers-model' }));
  refuses(() => guardOutput({ path: legacy, kind: 'model', datasets: [ds], what: '--out' }), /did not make it/);
  // No probe file is left behind by the writability check.
  assert.deepEqual(
    listing().filter((f) => f.startsWith('.')),
    [],
  );
});

test('refuses a file where a folder is expected and a folder where a file is', () => {
  writeFileSync(at('a-file'), 'x');
  refuses(
    () => guardOutput({ path: at('a-file'), kind: 'model', datasets: [], what: '--out' }),
    /exists and is not a folder/,
  );
  refuses(
    () => guardOutput({ path: tmp.dir, kind: 'file', datasets: [], what: '--out' }),
    /is a folder, expected a file/,
  );
});

test('refuses a missing or unwritable parent folder, naming it', () => {
  refuses(
    () => guardOutput({ path: at('nope', 'x.csv'), kind: 'file', datasets: [], what: '--out' }),
    /--out: folder .*nope does not exist/,
  );
  const ro = readOnlyFolder();
  const escaped = ro.replace(/[/\\]/g, '.');
  refuses(
    () => guardOutput({ path: path.join(ro, 'model'), kind: 'model', datasets: [], what: '--out' }),
    new RegExp(`cannot write in folder ${escaped}`),
  );
});

test('the export API takes absolute paths only, and maps refusals to API errors', () => {
  assert.throws(
    () => exportDestination('relative/out', [ds]),
    (e: Error) =>
      e instanceof ApiError &&
      e.code === 'bad_request' &&
      /must be an absolute path, got 'relative\/out'/.test(e.message),
  );
  assert.throws(
    () => exportDestination(path.join(ds, 'x'), [ds]),
    (e: Error) => e instanceof ApiError && /inside the source dataset/.test(e.message),
  );
  assert.throws(
    () => exportDestination(at('user'), [ds]),
    (e: Error) => e instanceof ApiError && e.code === 'conflict',
  );
  assert.equal(exportDestination(at('fresh-export'), [ds]), at('fresh-export'));
});
