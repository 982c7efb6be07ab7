// What the reviewer sees when things go wrong, in Chromium against the real server: an
// export folder that cannot be written, a dataset that cannot be opened, and the server
// going away mid-review (decisions made meanwhile must survive and reach the journal).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { makeDigitFixture, type DigitFixture } from './fixtures.js';
import type { ProjectInfo, Queue } from '../../src/shared/api.js';
import { callApi, startServer, waitReady, waitSettled, type StartedServer } from './server.js';
import {
  eventually,
  journaled,
  openApp,
  showOnly,
  tile,
  tileIds,
  tileName,
  waitForQueue,
  type OpenedApp,
} from './ui.js';

describe('errors are shown and decisions survive them', () => {
  let tmp: string;
  let home: string;
  let fixture: DigitFixture;
  let server: StartedServer;
  let browser: Browser;
  let app: OpenedApp;
  /** Decided while the server was down; must still be there at the end. */
  let offlineDecision = '';

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-e2e-errors-'));
    home = path.join(tmp, 'home');
    fixture = makeDigitFixture(path.join(tmp, 'data'), { train: 300, poolDigits: 30, poolDistractors: 10 });
    // A file cut short, as a failed copy leaves it: skipped, and the reviewer is told.
    fs.writeFileSync(path.join(fixture.pool, 'cut-short.png'), Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'));
    server = await startServer({ train: fixture.train, pool: fixture.pool, home });
    browser = await launchChromium();
    app = await openApp(browser, server);
    await waitReady(server);
    await waitForQueue(app.page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('an unwritable export folder gives a clear error in the export dialog', async () => {
    const { page } = app;
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export corrected dataset' });
    await dialog.getByLabel('Export folder').fill(path.join(blocker, 'out'));
    await dialog.getByRole('button', { name: 'Export now' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    assert.match((await alert.textContent()) ?? '', /Export failed: .+/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  test('the keyboard help opens on ? and closes on Escape', async () => {
    const { page } = app;
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard' });
    await help.waitFor();
    assert.match((await help.textContent()) ?? '', /relabel as 7/);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  test('decisions made while the server is down are kept and reach the journal after a restart', async () => {
    const { page } = app;
    const [id] = await tileIds(page, 1);
    assert.ok(id !== undefined, 'a tile');
    offlineDecision = id;
    const port = Number(new URL(server.origin).port);
    await server.stop();
    await page.getByRole('alert').filter({ hasText: 'Connection to Unsure lost' }).waitFor({ timeout: 20_000 });

    await tile(page, id).click();
    await page.keyboard.press('5');
    await eventually('the decision on screen', async () => (await tileName(page, id)).includes('decided 5'));
    await eventually('the session bar to count it unsynced', async () =>
      /1 unsynced/.test((await page.getByTestId('sync').textContent()) ?? ''),
    );

    // Same port, so the same origin and the same IndexedDB; a new launch token, as after any restart.
    server = await startServer({ train: fixture.train, pool: fixture.pool, home, port });
    await page.goto(server.url);
    await waitReady(server);
    await waitForQueue(page);
    await journaled(server, id, '5', 'relabel');
    await eventually('all saved', async () => (await page.getByTestId('sync').textContent()) === 'all saved');
    assert.match(await tileName(page, id), /decided 5$/);
  });

  test('a file that cannot be read is named in a notice and listed in the project folder', async () => {
    const alert = app.page.getByRole('alert').filter({ hasText: 'could not be read' });
    await alert.first().waitFor({ timeout: 30_000 });
    assert.match(
      (await alert.first().textContent()) ?? '',
      /1 file could not be read and is left out: cut-short\.png /,
    );
    const p = await callApi<ProjectInfo>(server, 'getProject');
    const report = fs.readFileSync(path.join(p.dir, 'skipped-files.txt'), 'utf8');
    assert.match(report, /^pool: cut-short\.png: is a truncated or corrupt PNG/);
  });

  test('a dataset that cannot be opened says why', async () => {
    const { page } = app;
    const missing = path.join(tmp, 'no-such-dataset');
    // The failed open sends status changes but leaves the queue as it is: nothing to refetch.
    await waitSettled(server);
    // The check's own re-ranking is fetched by the page as it lands: let that go by first.
    await page.waitForTimeout(1000);
    const queueFetches: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/get(Queue|Samples)$/.test(r.url())) queueFetches.push(r.url());
    });
    await page.getByRole('button', { name: 'Open dataset' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Open dataset' });
    await dialog.getByLabel('Train path').fill(missing);
    await dialog.getByRole('button', { name: 'Open dataset' }).click();
    const alert = dialog.getByRole('alert').filter({ hasText: 'no-such-dataset' });
    await alert.waitFor({ timeout: 60_000 });
    // A path that does not exist is refused at once: the dialog stays open to fix it.
    assert.ok(await dialog.isVisible(), 'the open dialog stays, showing the error');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // The open project and its decisions are still there.
    await showOnly(page, 'decided');
    assert.match(await tileName(page, offlineDecision), /decided 5$/);
    assert.equal(queueFetches.length, 0, 'the unchanged queue (same revision, same opening) is not fetched again');
  });

  test('a retrain that fails says why in its panel, and the previous model and the decisions stay', async () => {
    const { page } = app;
    await waitReady(server);
    const before = await callApi<Queue>(server, 'getQueue');
    const { dir } = await callApi<ProjectInfo>(server, 'getProject');
    // A file where the checkpoints folder belongs: saving the new model fails (even as root).
    const models = path.join(dir, 'models');
    fs.renameSync(models, `${models}.kept`);
    fs.writeFileSync(models, 'not a folder');
    try {
      await page.getByRole('button', { name: 'Retrain' }).click();
      const panel = page.getByRole('region', { name: 'Retraining' });
      await panel.getByRole('heading', { name: 'Retrain failed' }).waitFor({ timeout: 120_000 });
      assert.match(
        (await panel.getByRole('alert').textContent()) ?? '',
        /could not save the trained model in .*models/,
      );
      assert.match((await panel.textContent()) ?? '', /previous model stays in use/);
      await waitReady(server);
      assert.equal((await callApi<Queue>(server, 'getQueue')).modelVersion, before.modelVersion);
      assert.match(await tileName(page, offlineDecision), /decided 5$/);
      await panel.getByRole('button', { name: 'Close' }).click();
    } finally {
      fs.rmSync(models, { force: true });
      fs.renameSync(`${models}.kept`, models);
    }
  });
});
