// A colour photo dataset end to end, in Debian's Chromium against `unsure serve` with the
// real engine and the shipped backbone: the project says it took the backbone family and
// its recipe, the thumbnails are colour, the detail panel shows the original file with its
// own size, decisions by keyboard, a head retrain in seconds, and an export whose image files
// are the originals byte for byte, with the head saved beside them with its recipe.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { sampleId } from '../../src/main/engine/datasets/sample-id.js';
import type { ProjectInfo } from '../../src/shared/api.js';
import { assignClassKeys } from '../../src/renderer/src/keys/keymap.js';
import { launchChromium } from './browser.js';
import { makeColourFixture, type ColourFixture } from './colour-fixtures.js';
import { callApi, startServer, waitSettled, type StartedServer } from './server.js';
import {
  currentId,
  eventually,
  journaled,
  openApp,
  queue,
  showOnly,
  tile,
  tileIds,
  tileName,
  waitForQueue,
  type OpenedApp,
} from './ui.js';

const RETRAIN_TIMEOUT = 300_000;

describe('colour photos in the browser', () => {
  let tmp: string;
  let fixture: ColourFixture;
  let server: StartedServer;
  let browser: Browser;
  let app: OpenedApp;
  const decided = new Map<string, string>();

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-e2e-colour-'));
    fixture = await makeColourFixture(path.join(tmp, 'data'), { perClass: 60, poolPerClass: 18, poolDistractors: 8 });
    server = await startServer({ train: fixture.train, pool: fixture.pool, home: path.join(tmp, 'home') });
    browser = await launchChromium();
    app = await openApp(browser, server);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the project takes the backbone and says so, with its recipe', async () => {
    await waitForQueue(app.page);
    await waitSettled(server);
    const p = await callApi<ProjectInfo>(server, 'getProject');
    assert.equal(p.image?.channels, 3, 'colour previews');
    assert.equal(p.model?.arch, 'backbone');
    assert.match(p.model?.recipe ?? '', /^photo v\d+: \d+ x \d+ RGB/);
    assert.match(
      p.model!.reason,
      /; backbone: features: MobileNetV2/,
      'the shipped backbone described, no name to print',
    );
    assert.deepEqual(p.classes, fixture.classes);
    const family = app.page.getByText('backbone + head', { exact: true });
    await family.waitFor();
    const title = (await family.getAttribute('title')) ?? '';
    assert.ok(title.includes(p.model!.reason), 'the tooltip gives the reason for the family');
    assert.ok(title.includes(p.model!.recipe), 'and the recipe');
    await app.page.getByRole('button', { name: 'Insights' }).click();
    const model = app.page.getByRole('dialog', { name: 'Insights' }).getByRole('region', { name: 'Model' });
    await model.getByText(`Preprocessing recipe: ${p.model!.recipe}`).waitFor();
    // The matrix counts the held-out photos: the head has memorised its training photos.
    const confusion = app.page.getByRole('region', { name: 'Confusion matrix' });
    await confusion.getByText(`${p.heldOutSamples} held-out samples, never trained on`).waitFor();
    // The top bar says how many samples its accuracy counts: a few held-out photos make a rough figure.
    assert.ok(p.heldOutSamples !== null && p.heldOutSamples > 0);
    await app.page
      .getByText(`held-out accuracy ${(100 * p.heldOutAccuracy!).toFixed(1)}% on ${p.heldOutSamples} samples`)
      .waitFor();
    await app.page.keyboard.press('Escape');
    await app.page.getByRole('dialog', { name: 'Insights' }).waitFor({ state: 'detached' });
    // The label-issue queue of a model under 90% says its doubts are often its own mistakes.
    await app.page.getByRole('tab', { name: /Likely label error/ }).click();
    const note = app.page.getByRole('note').filter({ hasText: 'its own mistakes rather than wrong labels' });
    const said = `right on ${(100 * p.heldOutAccuracy!).toFixed(1)}% of held-out samples`;
    if (p.heldOutAccuracy! < 0.9) await note.filter({ hasText: said }).waitFor();
    else assert.equal(await note.count(), 0, `no note at ${p.heldOutAccuracy}`);
    // The check that ran after the open has ended: the tab no longer says it is checking.
    await waitSettled(server);
    await app.page.getByRole('tab', { name: /^Likely label error \d+$/ }).waitFor();
    await app.page.getByRole('tab', { name: /^All/ }).click();
  });

  test('the thumbnails are colour, drawn from the sheet at the stored shape', async () => {
    const [first] = await tileIds(app.page, 1);
    assert.ok(first);
    const img = tile(app.page, first).locator('.tile-img');
    await img.waitFor();
    // The sheet the tile shows, decoded in the page: its width is the stored image's, and
    // its pixels are not grey.
    // (A string: the test files compile without the DOM's types.)
    const seen = (await app.page.evaluate(`(async () => {
      const el = document.querySelector('[role="option"][data-id="${first}"] .tile-img');
      const m = /url\\("?(.*?)"?\\)/.exec(getComputedStyle(el).backgroundImage);
      if (!m) return null;
      const image = new Image();
      image.src = m[1];
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(image, 0, 0);
      const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 40) coloured++;
      }
      const box = el.getBoundingClientRect();
      return { width: image.naturalWidth, height: image.naturalHeight, coloured, boxW: box.width, boxH: box.height };
    })()`)) as { width: number; height: number; coloured: number; boxW: number; boxH: number } | null;
    assert.ok(seen, 'the tile has a sheet');
    const p = await callApi<ProjectInfo>(server, 'getProject');
    assert.equal(seen.width, p.image!.width);
    assert.equal(seen.height % p.image!.height, 0, 'whole samples stacked');
    assert.ok(seen.coloured > seen.width * seen.height * 0.2, `colour pixels: ${seen.coloured}`);
    // The tile keeps the stored image's aspect ratio.
    assert.ok(Math.abs(seen.boxW / seen.boxH - p.image!.width / p.image!.height) < 0.02);
  });

  test('the detail panel shows the original file, its own size and path', async () => {
    const q = await queue(server);
    const row = q.ids.findIndex((_, r) => q.split[r] === 1);
    const id = q.ids[row]!;
    await tile(app.page, id).click();
    const detail = app.page.getByRole('complementary', { name: 'Sample detail' });
    const size = detail.locator('.detail-size');
    await size.waitFor();
    const d = await callApi<{ file: string; size: { width: number; height: number } }>(server, 'getSample', { id });
    assert.equal(await size.textContent(), `${d.size.width} x ${d.size.height}, RGB`);
    assert.equal(await detail.locator('.detail-file').textContent(), d.file);
    assert.ok(fixture.truth.has(path.basename(d.file)), 'a pool file');
    // The panel's image is the original file at its own size, scaled to fit.
    const natural = (await app.page.evaluate(`(async () => {
      const el = document.querySelector('aside[aria-label="Sample detail"] img.detail-image');
      await el.decode();
      return [el.naturalWidth, el.naturalHeight];
    })()`)) as number[];
    assert.deepEqual(natural, [d.size.width, d.size.height]);
    assert.ok((await detail.locator('.neighbour img').count()) > 0, 'nearest training samples');
    // WebP as it is, TIFF (which Chromium cannot show) as a PNG of it: both decode in the page.
    for (const file of ['cherry-p2.webp', 'cherry-p3.tif']) {
      const media = `/media/sample/${encodeURIComponent(sampleId(fs.readFileSync(path.join(fixture.pool, file))))}`;
      const shown = (await app.page.evaluate(`(async () => {
        const image = new Image();
        image.src = ${JSON.stringify(media)};
        await image.decode();
        return [image.naturalWidth, image.naturalHeight];
      })()`)) as number[];
      const meta = await sharp(path.join(fixture.pool, file)).metadata();
      assert.deepEqual(shown, [meta.width, meta.height], file);
    }
  });

  test('class keys and o decide pool samples, moving on each time', async () => {
    const { page } = app;
    const q = await queue(server);
    const p = await callApi<ProjectInfo>(server, 'getProject');
    const keys = assignClassKeys(p.labels);
    const poolIds = q.ids.filter((_, r) => q.split[r] === 1);
    await tile(page, poolIds[0]!).click();
    for (let k = 0; k < 3; k++) {
      const id = await currentId(page);
      const d = await callApi<{ path: string }>(server, 'getSample', { id });
      const truth = fixture.truth.get(path.basename(d.path));
      assert.ok(truth, `${d.path} is a pool file`);
      const label = truth === 'distractor' ? 'other' : truth;
      await page.keyboard.press(label === 'other' ? 'o' : keys.get(label)!);
      await eventually(`${id} to show its decision`, async () =>
        (await tileName(page, id)).includes(`decided ${label}`),
      );
      assert.notEqual(await currentId(page), id, 'the view moves on');
      await journaled(server, id, label);
      decided.set(id, label);
    }
    // A digit on classes with letter keys decides nothing and says why.
    const id = await currentId(page);
    assert.ok(![...keys.values()].includes('7'));
    await page.keyboard.press('7');
    await page.getByRole('status').filter({ hasText: '"7" is not a key here' }).waitFor();
    assert.equal(await currentId(page), id, 'nothing decided, the view stays');
    // `/` finds a class by name: what datasets with more classes than keys rely on.
    await page.keyboard.press('/');
    const picker = page.getByRole('dialog', { name: 'Relabel as' });
    await picker.getByLabel('Class name').fill('LU');
    assert.deepEqual(await picker.getByRole('option').allTextContents(), ['plum' + keys.get('plum')]);
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await eventually(`${id} to show its decision`, async () => (await tileName(page, id)).includes('decided plum'));
    await journaled(server, id, 'plum');
    decided.set(id, 'plum');
  });

  test('a retrain trains a new head and re-ranks the queue', async () => {
    const { page } = app;
    const before = await queue(server);
    await page.getByRole('button', { name: 'Retrain' }).click();
    const panel = page.getByRole('region', { name: 'Retraining' });
    await panel.getByRole('heading', { name: 'Retrained' }).waitFor({ timeout: RETRAIN_TIMEOUT });
    assert.match((await page.getByTestId('retrain-summary').textContent()) ?? '', /Held-out accuracy/);
    const after = await eventually('a queue from the new model', async () => {
      const q = await queue(server);
      return q.modelVersion !== before.modelVersion ? q : null;
    });
    assert.match(after.modelVersion, /^head-/);
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  test('export copies the originals byte for byte and saves the head with its recipe', async () => {
    const { page } = app;
    const dest = path.join(tmp, 'export');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    // The folder offered first sits beside the training set.
    assert.equal(await page.getByLabel('Export folder').inputValue(), `${fixture.train}-corrected`);
    await page.getByLabel('Export folder').fill(dest);
    await page.getByRole('button', { name: 'Export now' }).click();
    await page.getByTestId('export-summary').waitFor({ timeout: 120_000 });
    const rows = fs
      .readFileSync(path.join(dest, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; label: string | null; path: string; source_file: string | null });
    assert.equal(rows.length, 60 * 4 + 18 * 4 + 8, 'every file');
    for (const r of rows) {
      assert.ok(r.source_file, `${r.path} has its original`);
      const out = fs.readFileSync(path.join(dest, r.path));
      assert.ok(out.equals(fs.readFileSync(r.source_file)), `${r.path} is ${r.source_file} byte for byte`);
    }
    for (const [id, label] of decided) assert.equal(rows.find((r) => r.id === id)?.label, label);
    const model = JSON.parse(fs.readFileSync(path.join(dest, 'model', 'model.json'), 'utf8')) as {
      format: string;
      provenance: { backboneId: string; recipe: { name: string; input: { channels: number } } };
    };
    assert.equal(model.format, 'unsure-head-checkpoint');
    assert.equal(model.provenance.recipe.name, 'photo');
    assert.equal(model.provenance.recipe.input.channels, 3);
    assert.ok(model.provenance.backboneId);
  });

  test('Insights switches the model family; the same project opens again with every decision', async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Insights' }).click();
    await page.getByRole('button', { name: 'Use the small CNN instead' }).click();
    const p = await eventually(
      'the project open again with the small CNN',
      async () => {
        const info = await callApi<ProjectInfo>(server, 'getProject');
        return info.status === 'ready' && info.model?.arch === 'cnn' ? info : null;
      },
      RETRAIN_TIMEOUT,
    );
    assert.equal(p.dataset.arch, 'cnn');
    assert.match(p.model!.reason, /as chosen/);
    await waitForQueue(page);
    await page.getByText('small CNN', { exact: true }).waitFor();
    await showOnly(page, 'decided');
    for (const [id, label] of decided) {
      await eventually(`${id} still decided ${label}`, async () =>
        (await tileName(page, id)).includes(`decided ${label}`),
      );
    }
    // Reopening from the recent list keeps the family asked for.
    const recent = await callApi<{ dataset: { arch?: string } }[]>(server, 'listRecent');
    assert.equal(recent[0]!.dataset.arch, 'cnn');
    await showOnly(page, 'all');
    await page.getByRole('button', { name: 'Open dataset' }).first().click();
    const entry = page.getByRole('region', { name: 'Recent projects' }).getByRole('listitem').first();
    assert.match((await entry.textContent()) ?? '', / · small CNN · /);
    const before = p.openId;
    await entry.getByRole('button').click();
    const again = await eventually(
      'the project opened again from the recent list',
      async () => {
        const info = await callApi<ProjectInfo>(server, 'getProject');
        return info.status === 'ready' && info.openId !== before ? info : null;
      },
      RETRAIN_TIMEOUT,
    );
    assert.equal(again.model?.arch, 'cnn');
    assert.deepEqual(app.errors, []);
  });
});
