import { startServer, waitSettled } from './test/e2e/server.js';
import { launchChromium } from './test/e2e/browser.js';
import { openApp, waitForQueue } from './test/e2e/ui.js';
import { mkdtempSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
const shots = '/work/notes/experiments/s21/shots';
mkdirSync(shots, { recursive: true });
const home = mkdtempSync(path.join(os.tmpdir(), 'walk-'));
const server = await startServer({ home, train: '/work/walk/train', pool: '/work/walk/pool' });
const browser = await launchChromium();
try {
  const { page } = await openApp(browser, server);
  await page.setViewportSize({ width: 1400, height: 900 });
  await waitForQueue(page);
  await waitSettled(server);
  await page.getByRole('button', { name: 'Insights' }).click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${shots}/a-insights.png` });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Export' }).click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${shots}/b-export.png` });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${shots}/c-open.png` });
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${shots}/d-help.png` });
} finally {
  await browser.close();
  await server.stop();
}
