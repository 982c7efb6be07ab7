// Real kills: a child process saving a checkpoint, writing a file or exporting is SIGKILLed
// at each kill point; the target then holds the old or the new content complete (or the
// next run restores it before anything else), and the next run cleans every leftover.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '../../src/main/engine/model/checkpoint.js';
import { writeFileAtomic } from '../../src/main/engine/project/atomic-write.js';
import { EXPORT_MARKER, MODEL_MARKER } from '../../src/main/engine/project/output-guard.js';
import { tempDir } from './model-fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = tempDir('unsure-kill-');
after(tmp.cleanup);

/** Runs kill-child.ts; returns the signal that ended it (null when it exited on its own). */
function child(killAt: string | undefined, ...args: string[]): NodeJS.Signals | null {
  const env = { ...process.env };
  delete env.UNSURE_TEST_KILL_AT;
  if (killAt) env.UNSURE_TEST_KILL_AT = killAt;
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'kill-child.ts'), ...args], {
    env,
    encoding: 'utf8',
  });
  if (!killAt) assert.equal(r.status, 0, r.stderr);
  return r.signal;
}

const siblings = (dir: string, name: string) => readdirSync(dir).filter((f) => f.startsWith(`.${name}.`));

async function versionAt(dir: string): Promise<string> {
  const ck = await loadCheckpoint(dir);
  ck.model.dispose();
  return ck.provenance.modelVersion;
}

const MODEL_POINTS = [
  ['model-tmp-partial', 'old'],
  ['model-tmp-written', 'old'],
  ['model-old-moved', 'old'],
  ['model-new-in-place', 'new'],
] as const;

for (const [point, expected] of MODEL_POINTS) {
  test(`a checkpoint replace killed at ${point} leaves the ${expected} model, and the next run cleans up`, async () => {
    const parent = path.join(tmp.dir, point);
    mkdirSync(parent);
    const target = path.join(parent, 'model');
    child(undefined, 'checkpoint', target, 'old');
    assert.equal(child(point, 'checkpoint', target, 'new'), 'SIGKILL');
    // Something was left (the kill was real): a hidden temp or the old model moved aside.
    assert.ok(siblings(parent, 'model').length > 0, `leftovers after ${point}: ${readdirSync(parent).join(', ')}`);
    if (point === 'model-old-moved') assert.equal(existsSync(target), false, 'the kill came between the renames');
    // The next run (loading the model) restores it first, then sees a complete one.
    assert.equal(await versionAt(target), expected);
    assert.deepEqual(siblings(parent, 'model'), []);
    assert.ok(existsSync(path.join(target, MODEL_MARKER)));
    // And the next save still replaces it.
    child(undefined, 'checkpoint', target, 'newer');
    assert.equal(await versionAt(target), 'newer');
    assert.deepEqual(readdirSync(parent), ['model']);
  });
}

test('a first save killed before the rename leaves no model and a temp the next save removes', async () => {
  const parent = path.join(tmp.dir, 'first');
  mkdirSync(parent);
  const target = path.join(parent, 'model');
  assert.equal(child('model-tmp-written', 'checkpoint', target, 'v1'), 'SIGKILL');
  assert.equal(existsSync(target), false);
  assert.equal(siblings(parent, 'model').length, 1);
  child(undefined, 'checkpoint', target, 'v2');
  assert.equal(await versionAt(target), 'v2');
  assert.deepEqual(readdirSync(parent), ['model']);
});

test('writeFileAtomic killed half-way leaves the old file and a hidden half temp, removed by the next write', async () => {
  const file = path.join(tmp.dir, 'scores.csv');
  writeFileSync(file, 'old\n');
  assert.equal(child('file-tmp-partial:scores.csv', 'file', file, 'new\n'), 'SIGKILL');
  assert.equal(readFileSync(file, 'utf8'), 'old\n');
  const temps = siblings(tmp.dir, 'scores.csv');
  assert.equal(temps.length, 1);
  assert.match(temps[0]!, /^\.scores\.csv\.tmp-\d+-[a-z0-9]+$/);
  assert.equal(readFileSync(path.join(tmp.dir, temps[0]!), 'utf8').length, 'new\n'.length * 50_000);
  // A temp of a live process (this one) is not touched; the dead child's is.
  const live = path.join(tmp.dir, `.scores.csv.tmp-${process.pid}-live`);
  writeFileSync(live, 'in progress');
  await writeFileAtomic(file, 'newest\n');
  assert.equal(readFileSync(file, 'utf8'), 'newest\n');
  assert.deepEqual(siblings(tmp.dir, 'scores.csv'), [path.basename(live)]);
});

test('an export killed half-way is never presented as done; the next export cleans only what Unsure made', async () => {
  const parent = path.join(tmp.dir, 'exports');
  const source = path.join(tmp.dir, 'export-source');
  mkdirSync(parent);
  const dest = path.join(parent, 'corrected');
  // Siblings Unsure did not make, with names like its own: they must survive everything.
  const foreign = [`corrected.unsure-tmp-4242`, `.corrected.unsure-tmp-999999-abcd`];
  for (const f of foreign) {
    mkdirSync(path.join(parent, f));
    writeFileSync(path.join(parent, f, 'user.txt'), 'mine');
  }
  assert.equal(child('export-images-written', 'export', dest, source), 'SIGKILL');
  assert.equal(existsSync(dest), false, 'no half export at the destination');
  const made = readdirSync(parent).filter((f) => !foreign.includes(f));
  assert.equal(made.length, 1);
  assert.match(made[0]!, /^\.corrected\.unsure-tmp-\d+-[0-9a-f]+$/);
  assert.ok(existsSync(path.join(parent, made[0]!, EXPORT_MARKER)));

  child(undefined, 'export', dest, source);
  assert.deepEqual(readdirSync(parent).sort(), ['corrected', ...foreign].sort());
  // A second export replaces the first (it carries the marker); killed between the renames,
  // the next export puts the first back before checking, then replaces it.
  assert.equal(child('export-old-moved', 'export', dest, source), 'SIGKILL');
  assert.equal(existsSync(dest), false);
  child(undefined, 'export', dest, source);
  assert.deepEqual(readdirSync(parent).sort(), ['corrected', ...foreign].sort());
  assert.equal(readdirSync(path.join(dest, '0')).length, 10);
  for (const f of foreign) assert.equal(readFileSync(path.join(parent, f, 'user.txt'), 'utf8'), 'mine');
});

test("a sweep of a folder (a project's models/) restores and removes what killed replaces left, for every target", async () => {
  const { recoverAllSiblings } = await import('../../src/main/engine/project/atomic-dir.js');
  const parent = path.join(tmp.dir, 'sweep-models');
  const marked = (name: string) => {
    mkdirSync(path.join(parent, name), { recursive: true });
    writeFileSync(path.join(parent, name, MODEL_MARKER), JSON.stringify({ by: 'unsure', pid: 999999999, nonce: 'x' }));
  };
  // v1: killed between the renames (the old copy is all there is); v2: a half-written temp.
  marked('.v1.unsure-old-999999999-aaaa');
  mkdirSync(path.join(parent, 'v2'), { recursive: true });
  marked('.v2.unsure-tmp-999999999-bbbb');
  // A look-alike without Unsure's marker is not ours: it stays.
  mkdirSync(path.join(parent, '.v3.unsure-tmp-999999999-cccc'), { recursive: true });
  await recoverAllSiblings(parent, MODEL_MARKER);
  assert.deepEqual(readdirSync(parent).sort(), ['.v3.unsure-tmp-999999999-cccc', 'v1', 'v2']);
});
