// The engine honours OpenSpec.limits and strict, and reports each skipped file with its split.
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Engine } from '../../src/main/engine/engine.js';
import { DatasetError } from '../../src/main/engine/types.js';
import { bombPng } from './datasets-bad-files.js';
import { mnistDigit, tempDir, writeFile, writeGreyPng } from './datasets-fixtures.js';

const tmp = tempDir();
after(tmp.cleanup);

test('open() fills skipped per split and honours limits and strict', { timeout: 60_000 }, async () => {
  const train = join(tmp.dir, 'train');
  const pool = join(tmp.dir, 'pool');
  for (let i = 0; i < 6; i++) writeGreyPng(join(train, String(i % 2), `d${i}.png`), mnistDigit(i).pixels);
  writeFile(join(train, '0', 'bomb.png'), bombPng(20000, 20000));
  writeGreyPng(join(pool, 'p.png'), mnistDigit(40).pixels);
  writeGreyPng(join(pool, 'q.png'), mnistDigit(41).pixels);
  symlinkSync('/dev/zero', join(pool, 'zero.png'));
  const core = new Engine();
  const projectDir = join(tmp.dir, 'project');
  const r = await core.open({ train, pool, projectDir }, () => {});
  assert.equal(r.samples.length, 8);
  assert.deepEqual(
    r.skipped?.map((s) => [s.split, s.path]),
    [
      ['train', '0/bomb.png'],
      ['pool', 'zero.png'],
    ],
  );
  const small = await core.open({ train, pool, projectDir, limits: { maxPixels: 100 } }, () => {}).catch((e) => e);
  assert.ok(small instanceof DatasetError && /No usable image/.test(small.message), String(small));
  await assert.rejects(
    core.open({ train, projectDir, strict: true }, () => {}),
    /0\/bomb\.png: .*\(strict mode\)/,
  );
  await core.close();
});
