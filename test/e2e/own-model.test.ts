// The user's own model in the app, in Debian's Chromium against `unsure serve`: a PyTorch
// model exported to ONNX (test/fixtures/onnx-cifar, with its preprocessor_config.json) is
// given in the Open dialog; it scores the colour photos as it is, a model that does not know
// the dataset's classes is refused by name, a retrain trains a head on the model's features,
// and the export carries that head while the user's model folder is never written to; the
// same dialog takes predictions made elsewhere, and another backbone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DoubtFlag, type ProjectInfo, type Queue, type SampleDetail } from '../../src/shared/api.js';
import { sampleId } from '../../src/main/engine/datasets/sample-id.js';
import { assignClassKeys } from '../../src/renderer/src/keys/keymap.js';
import { launchChromium } from './browser.js';
import { makeColourFixture, type ColourFixture } from './colour-fixtures.js';
import { callApi, startServer, waitSettled, type StartedServer } from './server.js';
import { eventually, journaled, openApp, queue, tile, tileIds, waitForQueue, type OpenedApp } from './ui.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const onnx = path.join(root, 'test/fixtures/onnx-cifar');
const TIMEOUT = 300_000;

/** Every file of a folder with its sha256: what "never written to" is checked against. */
function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort())
    out[name] = createHash('sha256')
      .update(fs.readFileSync(path.join(dir, name)))
      .digest('hex');
  return out;
}

/** Fills the Open dialog as a user does: the Model choice, then each field by its label. */
async function openFromDialog(page: Page, choice: string, fields: Record<string, string>): Promise<void> {
  await page.getByRole('button', { name: 'Open dataset' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Open dataset' });
  await dialog.getByLabel('Model', { exact: true }).selectOption(choice);
  for (const [label, value] of Object.entries(fields)) await dialog.getByLabel(label).fill(value);
  await dialog.getByRole('button', { name: 'Open dataset' }).click();
}

describe("the user's own model in the browser", () => {
  let tmp: string;
  let fixture: ColourFixture;
  let model: string;
  let server: StartedServer;
  let browser: Browser;
  let app: OpenedApp;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-e2e-own-'));
    fixture = await makeColourFixture(path.join(tmp, 'data'), { perClass: 24, poolPerClass: 6, poolDistractors: 4 });
    // The ONNX model has ten outputs; its classes.json names the fixture's four first.
    model = path.join(tmp, 'my-model');
    fs.mkdirSync(model);
    for (const f of ['model.onnx', 'preprocessor_config.json'])
      fs.copyFileSync(path.join(onnx, f), path.join(model, f));
    const extra = Array.from({ length: 10 - fixture.classes.length }, (_, i) => `unused${i}`);
    fs.writeFileSync(path.join(model, 'classes.json'), JSON.stringify([...fixture.classes, ...extra]));
    server = await startServer({ home: path.join(tmp, 'home') });
    browser = await launchChromium();
    app = await openApp(browser, server);
    await waitForQueue(app.page);
    await waitSettled(server);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("a model that does not know the dataset's classes is refused, naming them", async () => {
    const { page } = app;
    await openFromDialog(page, 'own', { 'Train path': fixture.train, 'Pool path': fixture.pool, 'Model path': onnx });
    const alert = page.getByRole('alert').filter({ hasText: "does not know the dataset's classes" });
    await alert.first().waitFor({ timeout: TIMEOUT });
    assert.match((await alert.first().textContent()) ?? '', /'cherry'/);
    await page.keyboard.press('Escape');
  });

  test('the model given in the Open dialog scores the photos as it is, and the app says whose it is', async () => {
    const { page } = app;
    const before = digest(model);
    await openFromDialog(page, 'own', { 'Train path': fixture.train, 'Pool path': fixture.pool, 'Model path': model });
    const p = await eventually(
      'the project open with the model',
      async () => {
        const info = await callApi<ProjectInfo>(server, 'getProject');
        return info.status === 'ready' && info.model?.own ? info : null;
      },
      TIMEOUT,
    );
    assert.equal(p.dataset.model, model);
    assert.match(p.model!.reason, /^Your model /);
    assert.match(p.model!.recipe, /^model v\d+: 32 x 32 RGB/);
    // The model's ten classes are the output; the dataset's four are what a reviewer assigns.
    assert.equal(p.classes.length, 10);
    await waitForQueue(page);
    await page.getByText('your model', { exact: true }).waitFor();
    const q = await queue(server);
    assert.ok(q.modelVersion.startsWith('user-'), q.modelVersion);
    assert.deepEqual(digest(model), before, 'the model folder is only read');
  });

  test('a decision and a retrain train a head on its features; the export carries that head', async () => {
    const { page } = app;
    await waitSettled(server);
    const p = await callApi<ProjectInfo>(server, 'getProject');
    const [first] = await tileIds(page, 1);
    await tile(page, first!).click();
    await page.keyboard.press(assignClassKeys(p.labels).get('cherry')!);
    await journaled(server, first!, 'cherry', 'relabel');
    await page.getByRole('button', { name: 'Retrain' }).click();
    const panel = page.getByRole('region', { name: 'Retraining' });
    await panel.getByRole('heading', { name: 'Retrained' }).waitFor({ timeout: TIMEOUT });
    const after = await eventually('a queue from the head', async () => {
      const r = await callApi<Queue>(server, 'getQueue');
      return r.modelVersion.startsWith('head-') ? r : null;
    });
    assert.ok(after);
    await panel.getByRole('button', { name: 'Close' }).click();

    const dest = path.join(tmp, 'export');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByLabel('Export folder').fill(dest);
    await page.getByRole('button', { name: 'Export now' }).click();
    await page.getByTestId('export-summary').waitFor({ timeout: 120_000 });
    const head = JSON.parse(fs.readFileSync(path.join(dest, 'model', 'model.json'), 'utf8')) as {
      format: string;
      provenance: { backboneId: string; recipe: { name: string } };
    };
    assert.equal(head.format, 'unsure-head-checkpoint');
    assert.equal(head.provenance.recipe.name, 'model', "the head's rows come from the user's model");
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.deepEqual(app.errors, []);
  });

  test('predictions of the training files, from a CSV as `unsure manifest` lists them, rank their label errors', async () => {
    const { page } = app;
    await waitSettled(server);
    const listed = spawnSync(process.execPath, [path.join(root, 'bin', 'unsure.mjs'), 'manifest', fixture.train], {
      encoding: 'utf8',
    });
    assert.equal(listed.status, 0, listed.stderr);
    const files = listed.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    // Three files whose predictions say another class: what a wrong label looks like from outside.
    const flipped = new Set([3, 40, 77].map((i) => files[i]![0]!));
    const { classes } = fixture;
    const rows = files.map(([file, label]) => {
      const k = (classes.indexOf(label!) + (flipped.has(file!) ? 1 : 0)) % classes.length;
      return [file, ...classes.map((_, j) => (j === k ? 0.94 : 0.02))].join(',');
    });
    const csv = path.join(tmp, 'probs.csv');
    fs.writeFileSync(csv, [['path', ...classes].join(','), ...rows].join('\n') + '\n');

    await openFromDialog(page, 'predictions', { 'Train path': fixture.train, 'Predictions file': csv });
    await eventually(
      'the project open with the predictions',
      async () => {
        const info = await callApi<ProjectInfo>(server, 'getProject');
        return info.status === 'ready' && info.model?.own === 'predictions' ? info : null;
      },
      TIMEOUT,
    );
    await page.getByText('your predictions', { exact: true }).waitFor();
    // The first pass leaves training rows pending; the flags are judged on the whole table.
    await waitSettled(server);
    for (const [file] of files) {
      const id = sampleId(fs.readFileSync(path.join(fixture.train, file!)));
      const d = await callApi<SampleDetail>(server, 'getSample', { id });
      const flagged = (d.flags & DoubtFlag.labelIssue) !== 0;
      assert.equal(flagged, flipped.has(file!), `${file}: label issue ${d.scores.labelIssue}`);
    }
  });

  test('another backbone given in the Open dialog gives the rows a head is trained on', async () => {
    const { page } = app;
    await openFromDialog(page, 'backbone', {
      'Train path': fixture.train,
      'Pool path': fixture.pool,
      'Backbone (optional)': onnx,
    });
    const p = await eventually(
      'the project open on the other backbone',
      async () => {
        const info = await callApi<ProjectInfo>(server, 'getProject');
        return info.status === 'ready' && info.dataset.backbone === onnx ? info : null;
      },
      TIMEOUT,
    );
    assert.equal(p.model?.arch, 'backbone');
    assert.ok(!p.model?.own);
    assert.ok(p.model!.reason.includes(`backbone ${onnx}: `), p.model!.reason);
    // The head is trained for the dataset's four classes, not the ONNX model's ten.
    assert.deepEqual(p.classes, fixture.classes);
    await page.getByText('backbone + head', { exact: true }).waitFor();
  });
});
