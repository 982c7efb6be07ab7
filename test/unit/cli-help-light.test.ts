// `unsure <command> --help` answers without loading TensorFlow (which takes seconds): run with
// a module hook that makes '@tensorflow/tfjs-node' impossible to import, help still works,
// and an actual command does reach for TensorFlow (so the hook is known to bite).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NO_TENSORFLOW_HOOK } from './no-tensorflow.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function unsureWithoutTf(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', NO_TENSORFLOW_HOOK, path.join(root, 'bin', 'unsure.mjs'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return { code: r.status, out: r.stdout + r.stderr };
}

for (const command of ['score', 'train', 'serve']) {
  test(`unsure ${command} --help does not load TensorFlow`, () => {
    const r = unsureWithoutTf(command, '--help');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`Usage: unsure ${command}`));
    assert.doesNotMatch(r.out, /TensorFlow was imported/);
  });
}

test('the hook bites: a command that trains does import TensorFlow', () => {
  const r = unsureWithoutTf('train', '--train', path.join(root, 'no-such-dataset'), '--out', path.join(root, 'out-x'));
  assert.notEqual(r.code, 0);
  assert.match(r.out, /TensorFlow was imported/);
});
