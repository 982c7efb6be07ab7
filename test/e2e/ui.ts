// Page helpers for the end-to-end tests: they find things the way a user (or a screen
// reader) does, by role and accessible name, plus the tile's data-id to relate what is on
// screen to what the API says.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { JournalEntry } from '../../src/shared/api.js';
import type { QueueView } from '../../src/renderer/src/queue/view.js';
import { callApi, queueView, type StartedServer } from './server.js';

export const QUEUE_TIMEOUT = 300_000;

export interface OpenedApp {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors seen so far (a test can assert there are none). */
  errors: string[];
}

export async function openApp(browser: Browser, server: StartedServer): Promise<OpenedApp> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  // The URL carries the launch token once; the server trades it for a cookie and redirects.
  await page.goto(server.url);
  return { context, page, errors };
}

export function queueBox(page: Page) {
  return page.getByRole('listbox', { name: 'Review queue' });
}

export async function waitForQueue(page: Page, timeout = QUEUE_TIMEOUT): Promise<void> {
  await queueBox(page).getByRole('option').first().waitFor({ timeout });
}

/** The rendered tiles (a window of the filtered queue) as position -> sample id. */
export async function shownTiles(page: Page): Promise<{ pos: number; id: string }[]> {
  const tiles = await queueBox(page)
    .getByRole('option')
    .evaluateAll((els) =>
      els.map((e) => ({ pos: Number(e.getAttribute('aria-posinset')) - 1, id: e.getAttribute('data-id') ?? '' })),
    );
  return tiles.sort((a, b) => a.pos - b.pos);
}

/** True when every rendered tile sits where the queue puts it (with no filter on). */
export async function gridMatchesQueue(page: Page, q: QueueView): Promise<boolean> {
  const tiles = await shownTiles(page);
  return tiles.length > 0 && tiles.every((t) => q.ids[t.pos] === t.id);
}

/** Sample ids of the first rendered tiles, in on-screen order. */
export async function tileIds(page: Page, n: number): Promise<string[]> {
  const ids = await queueBox(page)
    .getByRole('option')
    .evaluateAll((els) =>
      els.map((e) => ({ pos: Number(e.getAttribute('aria-posinset')), id: e.getAttribute('data-id') ?? '' })),
    );
  return ids
    .sort((a, b) => a.pos - b.pos)
    .slice(0, n)
    .map((x) => x.id);
}

/** Shows only decided samples (or everything again): decided tiles may sit anywhere in a re-ranked queue. */
export async function showOnly(page: Page, which: 'all' | 'decided' | 'toReview'): Promise<void> {
  await page.getByRole('combobox', { name: 'Filter by decision' }).selectOption(which);
}

export function tile(page: Page, id: string) {
  return queueBox(page).locator(`[role="option"][data-id="${id}"]`);
}

export async function tileName(page: Page, id: string): Promise<string> {
  return (await tile(page, id).getAttribute('aria-label')) ?? '';
}

export async function currentId(page: Page): Promise<string> {
  return (await queueBox(page).locator('[role="option"][aria-current="true"]').getAttribute('data-id')) ?? '';
}

/** Polls until `check` passes (returns a truthy value), or fails with `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeout = 20_000,
): Promise<T> {
  const until = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function journal(server: StartedServer): Promise<JournalEntry[]> {
  return callApi<JournalEntry[]>(server, 'getJournal');
}

/** The current queue joined with its samples, as the renderer shows it. */
export async function queue(server: StartedServer): Promise<QueueView> {
  const q = await queueView(server);
  if (!q) throw new Error('the server has no queue yet');
  return q;
}

/** Waits until the main side's journal has a decision on `sampleId` with this label (null: any). */
export function journaled(server: StartedServer, sampleId: string, after: string | null, action?: string) {
  return eventually(`the main side's journal to record ${sampleId} -> ${after}`, async () => {
    const j = await journal(server);
    return j.find(
      (e) =>
        e.kind === 'decision' &&
        e.sampleId === sampleId &&
        (after === null || e.after === after) &&
        (!action || e.action === action),
    );
  });
}
