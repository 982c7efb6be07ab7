import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { listRecent, MAX_RECENT, RECENT_FILE, touchRecent } from '../../src/main/engine/project/projects.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-recent-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshHome = () => path.join(root, `home${n++}`);
const project = (i: number) => ({
  projectId: `p${i}-abcdef123456`,
  name: `p${i}`,
  dataset: { train: `/data/p${i}`, demo: false },
});
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describe('recent projects', () => {
  test('empty when there is no list yet', async () => {
    assert.deepEqual(await listRecent({ home: freshHome() }), []);
  });

  test('most recent first, each project once, reopening moves it to the top', async () => {
    const home = freshHome();
    await touchRecent(project(1), { home, now: at(1) });
    await touchRecent(project(2), { home, now: at(2) });
    await touchRecent(project(3), { home, now: at(3) });
    const list = await touchRecent(project(1), { home, now: at(4) });
    assert.deepEqual(
      list.map((p) => p.name),
      ['p1', 'p3', 'p2'],
    );
    assert.deepEqual(await listRecent({ home }), list);
    assert.equal(list[0]!.openedAt, at(4).toISOString());
    assert.deepEqual(JSON.parse(readFileSync(path.join(home, RECENT_FILE), 'utf8')), list);
    assert.deepEqual(readdirSync(home), [RECENT_FILE]);
  });

  test(`keeps at most ${MAX_RECENT}`, async () => {
    const home = freshHome();
    for (let i = 0; i < MAX_RECENT + 5; i++) await touchRecent(project(i), { home, now: at(i) });
    const list = await listRecent({ home });
    assert.equal(list.length, MAX_RECENT);
    assert.equal(list[0]!.name, `p${MAX_RECENT + 4}`);
    assert.equal(list.at(-1)!.name, 'p5');
  });

  test('concurrent touches lose no update', async () => {
    const home = freshHome();
    await Promise.all(Array.from({ length: 10 }, (_, i) => touchRecent(project(i), { home, now: at(i) })));
    assert.equal((await listRecent({ home })).length, 10);
  });

  test('a damaged list is reported and replaced, bad entries are dropped', async () => {
    const home = freshHome();
    mkdirSync(home);
    writeFileSync(path.join(home, RECENT_FILE), '[{"projectId": 3}');
    const warnings: string[] = [];
    assert.deepEqual(await listRecent({ home, warn: (m) => warnings.push(m) }), []);
    assert.match(warnings[0]!, /recent\.json: not valid JSON/);
    writeFileSync(
      path.join(home, RECENT_FILE),
      JSON.stringify([{ projectId: 3 }, { ...project(1), openedAt: at(1).toISOString() }]),
    );
    assert.deepEqual(
      (await listRecent({ home, warn: (m) => warnings.push(m) })).map((p) => p.name),
      ['p1'],
    );
    assert.match(warnings[1]!, /dropped an entry/);
    const list = await touchRecent(project(2), { home, now: at(2), warn: () => {} });
    assert.deepEqual(
      list.map((p) => p.name),
      ['p2', 'p1'],
    );
  });
});
