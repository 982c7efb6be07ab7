// The CLI's bundle (scripts/cli-bundle.mjs): bin/unsure.mjs runs it only while it is newer than
// every source, and a bundle built from this checkout scores as the sources do.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildCliBundle, bundleEntry, freshBundle } from '../../scripts/cli-bundle.mjs';
import { encodeGreyPng, readMnistRaw } from '../../src/main/engine/datasets/index.js';
import { imageAt } from '../../src/main/engine/types.js';
import { parseCsv } from './export-fixtures.js';
import { tempDir } from './model-fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = tempDir('unsure-cli-bundle-');
after(tmp.cleanup);

test('the bundle runs only for the engine commands, only while newer than every source file', () => {
  const fake = path.join(tmp.dir, 'checkout');
  const file = (p: string, at: number) => {
    const f = path.join(fake, p);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, '');
    utimesSync(f, at, at);
  };
  assert.equal(freshBundle(fake, 'score'), null, 'no bundle');
  file('src/main/engine/deep/a.ts', 1000);
  file('src/shared/b.ts', 1000);
  file('src/renderer/c.tsx', 3000);
  file('out/cli/cli.js', 2000);
  const entry = bundleEntry(fake);
  assert.equal(freshBundle(fake, 'score'), entry);
  assert.equal(freshBundle(fake, 'manifest'), entry);
  assert.equal(freshBundle(fake, 'serve'), null, 'serve starts its worker from the sources');
  assert.equal(freshBundle(fake, undefined), null);
  process.env.UNSURE_FROM_SOURCE = '1';
  try {
    assert.equal(freshBundle(fake, 'score'), null, 'UNSURE_FROM_SOURCE=1 forces the sources');
  } finally {
    delete process.env.UNSURE_FROM_SOURCE;
  }
  file('src/main/engine/deep/a.ts', 2500);
  assert.equal(freshBundle(fake, 'score'), null, 'an engine source edited after the build');
  file('src/main/engine/deep/a.ts', 1000);
  file('src/shared/b.ts', 2500);
  assert.equal(freshBundle(fake, 'train'), null, 'a shared source edited after the build');
});

test('a bundle of this checkout scores a dataset as the sources do, with the shipped training graph', async () => {
  const out = path.join(root, 'out', `cli-test-${process.pid}`);
  after(() => rmSync(out, { recursive: true, force: true }));
  const entry = await buildCliBundle(root, out);
  const train = path.join(tmp.dir, 'train');
  const mnist = readMnistRaw('train');
  for (let i = 0; i < 200; i++) {
    const dir = path.join(train, String(mnist.labels[i]));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${i}.png`), encodeGreyPng(imageAt(mnist.pixels, i), 28, 28));
  }
  const score = (cli: string[], name: string) => {
    const csv = path.join(tmp.dir, `${name}.csv`);
    const r = spawnSync(process.execPath, [...cli, 'score', '--train', train, '--out', csv, '--epochs', '1'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, UNSURE_HOME: path.join(tmp.dir, `home-${name}`) },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /training runs as tfjs ops/);
    return parseCsv(readFileSync(csv, 'utf8'));
  };
  const bundled = score([entry], 'bundle');
  const sources = score(['--import', 'tsx', path.join(root, 'src/main/cli.ts')], 'sources');
  assert.deepEqual(bundled[0], sources[0], 'the same columns');
  assert.equal(bundled.length, 201);
  const col = (rows: string[][], name: string) => rows.slice(1).map((r) => r[rows[0]!.indexOf(name)]);
  for (const name of ['id', 'path', 'label']) assert.deepEqual(col(bundled, name), col(sources, name), name);
});
