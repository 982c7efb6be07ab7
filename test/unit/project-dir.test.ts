import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { existsSync } from 'node:fs';
import {
  discardNewProject,
  openProject,
  PROJECT_FILE,
  projectDirFor,
  projectDirPath,
  projectIdentity,
  unsureHome,
} from '../../src/main/engine/project/projects.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-project-'));
after(() => rmSync(root, { recursive: true, force: true }));
const home = path.join(root, 'home');
const data = path.join(root, 'data');
mkdirSync(path.join(data, 'digits', '3'), { recursive: true });
mkdirSync(path.join(data, 'pool'), { recursive: true });
writeFileSync(path.join(data, 'labels.csv'), 'path,label\n');

describe('unsureHome', () => {
  test('UNSURE_HOME wins, then the platform convention', () => {
    assert.equal(unsureHome({ UNSURE_HOME: '/x/y' }, 'linux', '/home/u'), path.resolve('/x/y'));
    assert.equal(unsureHome({}, 'linux', '/home/u'), path.join('/home/u', '.local', 'share', 'unsure'));
    assert.equal(unsureHome({ XDG_DATA_HOME: '/data' }, 'linux', '/home/u'), path.join('/data', 'unsure'));
    assert.equal(
      unsureHome({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u'),
      path.join('/home/u', '.local', 'share', 'unsure'),
    );
    assert.equal(
      unsureHome({}, 'darwin', '/Users/u'),
      path.join('/Users/u', 'Library', 'Application Support', 'Unsure'),
    );
    assert.equal(
      unsureHome({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'),
      path.join('C:\\Users\\u\\AppData\\Roaming', 'Unsure'),
    );
  });
});

describe('project folder', () => {
  test('is stable for the same datasets however the path is spelled, different for others', () => {
    const a = projectDirPath({ train: path.join(data, 'digits'), demo: false }, home);
    const b = projectDirPath({ train: path.join(data, 'digits', '3', '..') + path.sep, demo: false }, home);
    const link = path.join(root, 'link-to-digits');
    symlinkSync(path.join(data, 'digits'), link);
    const c = projectDirPath({ train: link, demo: false }, home);
    assert.equal(a, b);
    assert.equal(a, c);
    assert.match(path.basename(a), /^digits-[0-9a-f]{12}$/);
    assert.equal(path.dirname(a), path.join(home, 'projects'));
    assert.notEqual(
      a,
      projectDirPath({ train: path.join(data, 'digits'), pool: path.join(data, 'pool'), demo: false }, home),
    );
    assert.notEqual(a, projectDirPath({ pool: path.join(data, 'digits'), demo: false }, home));
    assert.match(path.basename(projectDirPath({ demo: true }, home)), /^demo-[0-9a-f]{12}$/);
    assert.equal(projectIdentity({ train: path.join(data, 'labels.csv'), demo: false }).name, 'labels');
  });

  test('openProject creates project.json, and reopening keeps createdAt and updates openedAt', async () => {
    const spec = { train: path.join(data, 'digits'), pool: path.join(data, 'pool'), demo: false };
    const first = await openProject(spec, { home, now: new Date('2026-01-01T10:00:00Z') });
    const json = JSON.parse(readFileSync(path.join(first.dir, PROJECT_FILE), 'utf8'));
    assert.equal(json.projectId, path.basename(first.dir));
    assert.deepEqual(json.dataset, { train: path.join(data, 'digits'), pool: path.join(data, 'pool'), demo: false });
    assert.equal(json.createdAt, '2026-01-01T10:00:00.000Z');
    const again = await openProject(spec, { home, now: new Date('2026-02-01T10:00:00Z') });
    assert.equal(again.dir, first.dir);
    assert.equal(again.createdAt, '2026-01-01T10:00:00.000Z');
    assert.equal(again.openedAt, '2026-02-01T10:00:00.000Z');
    // No temp files are left beside project.json.
    assert.deepEqual(readdirSync(first.dir), [PROJECT_FILE]);
    assert.equal(await projectDirFor(spec, { home }), first.dir);
  });

  test('a failed open removes the folder it made, and only that', async () => {
    const spec = { train: path.join(data, 'digits', '3'), demo: false };
    const made = await openProject(spec, { home });
    assert.equal(made.created, true);
    await discardNewProject(made);
    assert.equal(existsSync(made.dir), false);
    // Reopened (not made by this open), or holding more than project.json: kept.
    const first = await openProject(spec, { home });
    const again = await openProject(spec, { home });
    assert.equal(again.created, false);
    await discardNewProject(again);
    assert.equal(existsSync(again.dir), true);
    writeFileSync(path.join(first.dir, 'decisions.jsonl'), '');
    await discardNewProject(first);
    assert.deepEqual(readdirSync(first.dir).sort(), ['decisions.jsonl', PROJECT_FILE].sort());
  });

  test('a damaged project.json is an error naming the file', async () => {
    const spec = { train: path.join(data, 'pool'), demo: false };
    const dir = projectDirPath(spec, home);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, PROJECT_FILE), '{"version":1,"projectId":');
    await assert.rejects(openProject(spec, { home }), /project\.json: not valid JSON/);
  });

  test('refuses a project folder inside a dataset folder', async () => {
    const inside = path.join(data, 'digits', '.unsure');
    await assert.rejects(
      projectDirFor({ train: path.join(data, 'digits'), demo: false }, { home: inside }),
      /would be inside the dataset folder .*digits; datasets are read-only/,
    );
    // A CSV dataset's folder is the dataset too.
    await assert.rejects(
      projectDirFor({ train: path.join(data, 'labels.csv'), demo: false }, { home: path.join(data, 'h') }),
      /inside the dataset folder/,
    );
    // Also through a symlink that hides where home really is.
    const sneaky = path.join(root, 'sneaky-home');
    symlinkSync(path.join(data, 'pool'), sneaky);
    await assert.rejects(
      projectDirFor({ train: path.join(data, 'digits'), pool: path.join(data, 'pool'), demo: false }, { home: sneaky }),
      /inside the dataset folder/,
    );
    assert.deepEqual(readdirSync(path.join(data, 'digits')), ['3']);
    assert.deepEqual(readdirSync(path.join(data, 'pool')), []);
  });
});
