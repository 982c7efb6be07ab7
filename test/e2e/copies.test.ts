// Identical files in the app, in Debian's Chromium against `unsure serve` with the real
// engine: a pool file and its copy are one tile with a duplicates badge, a training file
// copied into another class is a label conflict (its own badge, a likely label error), the
// top bar counts both, and the Files filter shows exactly those samples.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { FileFlag, type SampleDetail } from '../../src/shared/api.js';
import { sampleId } from '../../src/main/engine/datasets/sample-id.js';
import { launchChromium } from './browser.js';
import { makeDigitFixture } from './fixtures.js';
import { callApi, startServer, waitReady, type StartedServer } from './server.js';
import {
  eventually,
  openApp,
  queue,
  queueBox,
  shownTiles,
  tile,
  tileName,
  waitForQueue,
  type OpenedApp,
} from './ui.js';

describe('identical files in the browser', () => {
  let tmp: string;
  let server: StartedServer;
  let browser: Browser;
  let app: OpenedApp;
  let duplicateId: string;
  let conflictId: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-e2e-copies-'));
    const fx = makeDigitFixture(path.join(tmp, 'data'), { train: 400, poolDigits: 40, poolDistractors: 10 });
    // A pool file twice, and MNIST training digit 0 (a 5) also filed under 3.
    const poolFile = path.join(fx.pool, 'digit-0.png');
    fs.copyFileSync(poolFile, path.join(fx.pool, 'digit-0b.png'));
    const trainFile = path.join(fx.train, '5', '0.png');
    fs.copyFileSync(trainFile, path.join(fx.train, '3', 'also-0.png'));
    duplicateId = sampleId(fs.readFileSync(poolFile));
    conflictId = sampleId(fs.readFileSync(trainFile));
    server = await startServer({ train: fx.train, pool: fx.pool, home: path.join(tmp, 'home') });
    browser = await launchChromium();
    app = await openApp(browser, server);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the queue flags copies and conflicts; the top bar counts them', async () => {
    await waitForQueue(app.page);
    await waitReady(server);
    // Training samples join the queue once their scores are in (after the first pass).
    const q = await eventually(
      'the conflict in the queue',
      async () => {
        const v = await queue(server);
        return v.ids.includes(conflictId) ? v : null;
      },
      120_000,
    );
    const flagsOf = (id: string) => q.flags[q.ids.indexOf(id)]!;
    assert.equal(flagsOf(duplicateId) & (FileFlag.copies | FileFlag.labelConflict), FileFlag.copies);
    assert.equal(flagsOf(conflictId) & FileFlag.labelConflict, FileFlag.labelConflict);
    assert.equal(
      q.ids.filter((id) => q.flags[q.ids.indexOf(id)]! & FileFlag.copies).length,
      2,
      'only the two samples with copies carry the bit',
    );
    // One tile per content: the copy is not a second sample.
    assert.equal(new Set(q.ids).size, q.ids.length);
    await app.page.getByText(/· 2 duplicates · 1 label conflict$/).waitFor();
  });

  test('the Files filter shows only duplicates, or only label conflicts, with their badges', async () => {
    const files = app.page.getByRole('combobox', { name: 'Filter by identical files' });
    await files.selectOption('copies');
    await eventually('two tiles', async () => (await shownTiles(app.page)).length === 2);
    assert.deepEqual((await shownTiles(app.page)).map((t) => t.id).sort(), [conflictId, duplicateId].sort());
    await tile(app.page, duplicateId).getByText('DUP', { exact: true }).waitFor();
    assert.match(await tileName(app.page, duplicateId), /has identical files/);
    assert.doesNotMatch(await tileName(app.page, duplicateId), /labeled differently/);

    await files.selectOption('labelConflict');
    await eventually('one tile', async () => (await shownTiles(app.page)).length === 1);
    assert.equal((await shownTiles(app.page))[0]!.id, conflictId);
    await tile(app.page, conflictId).getByText('LBL≠', { exact: true }).waitFor();
    const name = await tileName(app.page, conflictId);
    assert.match(name, /likely label error/);
    assert.match(name, /identical files labeled differently/);
    // Neither label is the sample's until a reviewer decides.
    assert.doesNotMatch(name, /given/);

    await files.selectOption('all');
    await eventually('every tile back', async () => (await queueBox(app.page).getByRole('option').count()) > 2);
    assert.deepEqual(app.errors, []);
  });

  test('the detail names the copies and the conflicting labels', async () => {
    const d = await callApi<SampleDetail>(server, 'getSample', { id: conflictId });
    assert.equal(d.given, null);
    assert.deepEqual(d.duplicates, ['5/0.png (labeled "5")']);
    assert.equal(d.path, '3/also-0.png');
    assert.match(d.verdicts[0]!, /Label conflict: identical files are labeled "3" and "5"/);
    const dup = await callApi<SampleDetail>(server, 'getSample', { id: duplicateId });
    assert.deepEqual(dup.duplicates, ['digit-0b.png']);
  });
});
