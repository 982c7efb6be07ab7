// The standing bad-input corpus (issue 8): every case through the real CLI, checking the exit
// code, that stderr names the file and the problem, that the dataset's bytes are unchanged
// and nothing is left behind. Most cases run in this process (TensorFlow loads once); the
// bomb, /dev/zero and FIFO cases run in a child so memory is measured and a hang is killed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { buildCorpus, CASE_DEFS, makeSharedInputs, type CorpusCase } from '../bad-input/make-corpus.js';
import { describeFailure, judge, runInProcess, runSpawned, takeBefore, type RunResult } from '../bad-input/run-case.js';
import { diffSnapshots, snapshot, type Snapshot } from '../bad-input/snapshot.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir('unsure-corpus-');
const home = join(tmp.dir, 'home');
let cases: CorpusCase[] = [];
let sharedBefore: Snapshot;
const outcomes: { name: string; issue: string; code: number | null; problems: string[] }[] = [];

before(async () => {
  process.env.UNSURE_HOME = home;
  const shared = await makeSharedInputs(tmp.dir, runInProcess);
  cases = await buildCorpus(tmp.dir, shared);
  sharedBefore = snapshot(join(tmp.dir, 'shared'));
});

after(() => {
  const rows = outcomes.map(
    (o) => `${o.problems.length ? 'FAIL' : 'pass'}  ${o.name.padEnd(48)} ${o.issue.padEnd(4)} exit ${o.code}`,
  );
  const failed = outcomes.filter((o) => o.problems.length).length;
  process.stdout.write(
    `\nbad-input corpus: ${outcomes.length} cases run, ${outcomes.length - failed} pass, ${failed} fail\n${rows.join('\n')}\n`,
  );
  tmp.cleanup();
});

test('the corpus holds at least 45 cases, each with a unique name', () => {
  assert.ok(CASE_DEFS.length >= 45, `${CASE_DEFS.length} cases`);
  assert.equal(new Set(CASE_DEFS.map((d) => d.name)).size, CASE_DEFS.length);
});

for (const def of CASE_DEFS) {
  test(`corpus: ${def.name}`, async (t) => {
    const c = cases.find((x) => x.name === def.name) as CorpusCase;
    if (c.skip) {
      t.skip(c.skip);
      return;
    }
    const was = takeBefore(c, home);
    const got: RunResult = c.spawn
      ? await runSpawned(c.argv, { ...process.env, UNSURE_HOME: home })
      : await runInProcess(c.argv);
    const problems = judge(c, got, was, home);
    outcomes.push({ name: c.name, issue: c.issue, code: got.code, problems });
    assert.deepEqual(problems, [], `\n${describeFailure(c, got, problems)}\n`);
  });
}

test('the shared models and the outside image are unchanged by every case', () => {
  const diff = diffSnapshots(sharedBefore, snapshot(join(tmp.dir, 'shared')));
  assert.deepEqual(diff, { added: [], removed: [], changed: [] });
});
