// Browser mode end to end: the built app opens in Chromium through the tokenised URL, shows
// its UI, and an API call from the page makes TensorFlow classify a real digit.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { makeDigitFixture, mnistTestPng } from './fixtures.js';
import { startServer, waitReady, type StartedServer } from './server.js';

describe('browser mode smoke test', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-smoke-'));
  let server: StartedServer;
  let browser: Browser;

  before(async () => {
    const fx = makeDigitFixture(dir, { train: 1200, poolDigits: 60, poolDistractors: 20 });
    server = await startServer({ train: fx.train, pool: fx.pool, home: path.join(dir, 'home') });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('opens the app from the printed URL and classifies a digit on the native backend', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    assert.equal(new URL(page.url()).search, '', 'the token left the address bar');
    assert.match(await page.title(), /Unsure/);
    await page.getByRole('button', { name: 'Retrain' }).waitFor();

    await waitReady(server);
    const digit = mnistTestPng(0);
    // Calls from inside the page, with the page's own cookie session. (No named functions
    // in the evaluated code: tsx would add a helper that does not exist in the page.)
    const [backend, prediction] = await page.evaluate(
      (calls) =>
        Promise.all(
          calls.map(([name, params]) =>
            fetch(`/api/${name}`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify(params),
            }).then((r) => r.json() as Promise<{ ok: boolean; result: Record<string, unknown> }>),
          ),
        ),
      [
        ['getBackend', {}],
        ['predictImage', { base64: digit.bytes.toString('base64') }],
      ] as [string, unknown][],
    );
    const result = { backend: backend!, prediction: prediction! };
    console.log(`# backend: ${JSON.stringify(result.backend.result)}`);
    assert.equal(result.backend.result.backend, 'tensorflow');
    assert.equal(result.prediction.ok, true);
    assert.equal(result.prediction.result.predicted, digit.label);

    // The grid's thumbnails arrive as sheets of many samples, and each tile shows its own slice.
    await page.getByRole('listbox', { name: 'Review queue' }).getByRole('option').first().waitFor();
    const sheets = (await page.evaluate(`(async () => {
      const img = document.querySelector('.tile-img');
      const url = img && getComputedStyle(img).backgroundImage.replace(/^url\\("?|"?\\)$/g, '');
      const r = url ? await fetch(url) : null;
      return { url, status: r && r.status, type: r && r.headers.get('content-type'), position: img && img.style.backgroundPosition };
    })()`)) as { url: string | null; status: number | null; type: string | null; position: string | null };
    assert.match(sheets.url ?? '', /\/media\/sheet\?ids=[0-9a-f]+(\.[0-9a-f]+)+$/);
    assert.equal(sheets.status, 200);
    assert.equal(sheets.type, 'image/png');
    assert.equal(sheets.position, '0px 0px', 'the first tile is the first image of the first sheet');
  });

  test('a dropped folder is refused in browser mode with a hint (only the desktop app sees paths)', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Retrain' }).waitFor();
    // As a string: this code runs in the page, and the Node-side type-check has no DOM types.
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['path,label'], 'manifest.csv'));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
    })()`);
    await page.getByText('Dropping a folder opens it in the desktop app').waitFor();
  });
});
