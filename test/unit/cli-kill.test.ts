// The CLI killed while writing its output: `unsure score --out` mid-CSV and `unsure train
// --out` between the renames of a model replace. Afterwards the output is absent or the
// previous one is intact (or put back by the next run), and the next run cleans leftovers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mnistSlice, writeIdxDataset } from '../../bench/fixtures.js';
import { tempDir } from './model-fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = tempDir('unsure-cli-kill-');
after(tmp.cleanup);
let train: string;

function unsure(killAt: string | undefined, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, UNSURE_HOME: path.join(tmp.dir, 'home') };
  delete env.UNSURE_TEST_KILL_AT;
  if (killAt) env.UNSURE_TEST_KILL_AT = killAt;
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/main/cli.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env,
  });
  return { code: r.status, signal: r.signal, stderr: r.stderr };
}

before(async () => {
  train = await writeIdxDataset(path.join(tmp.dir, 'train'), mnistSlice('train', 0, 300));
});

const outs = (name: string) => readdirSync(tmp.dir).filter((f) => f.includes(name));

test('score killed while writing the CSV leaves no output and a hidden temp; the next run cleans it', () => {
  const out = path.join(tmp.dir, 'scores.csv');
  const killed = unsure('file-tmp-partial:scores.csv', 'score', '--train', train, '--out', out, '--epochs', '1');
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  assert.equal(existsSync(out), false, 'no half CSV at --out');
  const left = outs('scores');
  assert.equal(left.length, 1);
  assert.match(left[0]!, /^\.scores\.csv\.tmp-\d+-[a-z0-9]+$/);
  const next = unsure(undefined, 'score', '--train', train, '--out', out, '--epochs', '1');
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual(outs('scores'), ['scores.csv']);
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 301);
});

test('train killed between the renames of a replace: the next run restores the old model, then replaces it', () => {
  const out = path.join(tmp.dir, 'model');
  const first = unsure(undefined, 'train', '--train', train, '--out', out, '--epochs', '1', '--seed', '1');
  assert.equal(first.code, 0, first.stderr);
  const version = (dir: string) =>
    (JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as { provenance: { modelVersion: string } })
      .provenance.modelVersion;
  const v1 = version(out);
  const killed = unsure(
    'model-old-moved:model',
    'train',
    '--train',
    train,
    '--out',
    out,
    '--epochs',
    '1',
    '--seed',
    '2',
  );
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  assert.equal(existsSync(out), false);
  const aside = outs('model').filter((f) => f.startsWith('.model.unsure-old-'));
  assert.equal(aside.length, 1, outs('model').join(', '));
  assert.equal(version(path.join(tmp.dir, aside[0]!)), v1, 'the old model is complete, aside');

  const next = unsure(undefined, 'train', '--train', train, '--out', out, '--epochs', '1', '--seed', '2');
  assert.equal(next.code, 0, next.stderr);
  assert.notEqual(version(out), v1);
  assert.deepEqual(outs('model'), ['model']);
});
