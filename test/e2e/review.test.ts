// The review loop end to end, in Debian's Chromium against `unsure serve` with the real
// engine: ranked queue, one-key decisions, persistence across reloads and browsers, undo,
// bulk decisions, retrain with progress, and an export whose files match the decisions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { SampleDetail } from '../../src/shared/api.js';
import { launchChromium } from './browser.js';
import { makeDigitFixture, type DigitFixture } from './fixtures.js';
import { callApi, startServer, waitSettled, type StartedServer } from './server.js';
import {
  currentId,
  eventually,
  journal,
  journaled,
  openApp,
  queue,
  queueBox,
  showOnly,
  tile,
  tileIds,
  tileName,
  gridMatchesQueue,
  waitForQueue,
  type OpenedApp,
} from './ui.js';

describe('review loop in the browser', () => {
  let tmp: string;
  let fixture: DigitFixture;
  let server: StartedServer;
  let browser: Browser;
  let app: OpenedApp;
  /** Sample id -> the label the test decided, to check against the export. */
  const decided = new Map<string, string>();

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-e2e-review-'));
    fixture = makeDigitFixture(path.join(tmp, 'data'), { train: 400, poolDigits: 60, poolDistractors: 20 });
    server = await startServer({ train: fixture.train, pool: fixture.pool, home: path.join(tmp, 'home') });
    browser = await launchChromium();
    app = await openApp(browser, server);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the queue appears, ranked most doubtful first', async () => {
    await waitForQueue(app.page);
    // Later tests pick tiles by position: let the background re-rankings finish first.
    await waitSettled(server);
    const q = await queue(server);
    await eventually('tiles in queue order', async () => gridMatchesQueue(app.page, await queue(server)));
    const shown = await tileIds(app.page, 20);

    // Ranked means something: the scribbles and noise in the pool rank above real digits.
    const poolRows = q.ids.map((id, row) => ({ id, row })).filter(({ row }) => q.split[row] === 1);
    const kinds = await Promise.all(
      poolRows.map(async ({ id, row }) => {
        const d = await callApi<SampleDetail>(server, 'getSample', { id });
        const truth = fixture.truth.get(path.basename(d.path));
        return { row, priority: d.scores.reviewPriority, distractor: truth === 'scribble' || truth === 'noise' };
      }),
    );
    // The queue sends only its order: the details' full-precision priorities must follow it.
    for (let k = 1; k < kinds.length; k++)
      assert.ok(kinds[k - 1]!.priority >= kinds[k]!.priority, `queue not sorted at row ${kinds[k]!.row}`);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const distractorRank = mean(kinds.filter((k) => k.distractor).map((k) => k.row));
    const digitRank = mean(kinds.filter((k) => !k.distractor).map((k) => k.row));
    assert.ok(
      distractorRank < digitRank,
      `distractors should rank above digits (mean row ${distractorRank} vs ${digitRank})`,
    );

    const name = await tileName(app.page, shown[0]!);
    assert.match(name, /^predicted \S+, [\d.]+% confident/);
  });

  test('a class key relabels and o marks other, each moving on to the next sample', async () => {
    const { page } = app;
    // The reviewer's name from Preferences goes into every journal entry.
    await page.getByRole('button', { name: 'Preferences' }).click();
    await page.getByRole('dialog', { name: 'Preferences' }).getByRole('textbox').fill('Ada');
    await page.getByRole('button', { name: 'Save' }).click();
    const [first, second] = await tileIds(page, 2);
    assert.ok(first !== undefined && second !== undefined, 'two tiles');
    await tile(page, first).click();
    assert.equal(await currentId(page), first);
    await page.keyboard.press('3');
    await eventually('the first tile to show its decision', async () =>
      (await tileName(page, first)).includes('decided 3'),
    );
    assert.equal(await currentId(page), second, 'the view moves on after a decision');
    await page.keyboard.press('o');
    await eventually('the second tile to show other', async () =>
      (await tileName(page, second)).includes('decided other'),
    );
    decided.set(first, '3');
    decided.set(second, 'other');
    const e1 = await journaled(server, first, '3', 'relabel');
    await journaled(server, second, 'other', 'other');
    assert.equal(e1.reviewer, 'Ada');
    await eventually(
      'the session bar to say all saved',
      async () => (await page.getByTestId('sync').textContent()) === 'all saved',
    );
    assert.equal(await page.getByTestId('reviewed').textContent(), '2');
  });

  test('Space shows the image large, a class key still decides there, and Esc closes it', async () => {
    const { page } = app;
    const ids = await tileIds(page, 8);
    const names = await Promise.all(ids.map((id) => tileName(page, id)));
    // Past the first tiles, which the undo test below takes.
    const open = ids.findIndex((id, i) => i >= 4 && i < ids.length - 1 && !/decided|skipped/.test(names[i]!));
    assert.ok(open >= 0, 'an undecided tile with one after it');
    const id = ids[open]!;
    await tile(page, id).click();
    const big = page.getByRole('region', { name: 'Large image' });
    const bigSrc = () => big.getByRole('img').getAttribute('src');
    await page.keyboard.press(' ');
    await big.waitFor();
    assert.ok((await bigSrc())?.includes(encodeURIComponent(id)), 'the large image is the current sample');
    await page.keyboard.press('5');
    await journaled(server, id, '5', 'relabel');
    decided.set(id, '5');
    const next = await currentId(page);
    assert.notEqual(next, id, 'the view moves on');
    await eventually('the large image to follow the current sample', async () =>
      ((await bigSrc()) ?? '').includes(encodeURIComponent(next)),
    );
    await page.keyboard.press('Escape');
    await big.waitFor({ state: 'detached' });
    // Esc closed the large image and left the selection alone.
    assert.equal(await currentId(page), next);
    await page.keyboard.press(' ');
    await big.waitFor();
    await page.keyboard.press(' ');
    await big.waitFor({ state: 'detached' });
  });

  test('a reload, and a second browser with an empty store, show the same decisions', async () => {
    await app.page.reload();
    await waitForQueue(app.page);
    await showOnly(app.page, 'decided');
    for (const [id, label] of decided) {
      await eventually(`${id} decided ${label} after a reload`, async () =>
        (await tileName(app.page, id)).endsWith(`decided ${label}`),
      );
    }
    await showOnly(app.page, 'all');

    const other = await openApp(browser, server);
    try {
      await waitForQueue(other.page);
      await showOnly(other.page, 'decided');
      for (const [id, label] of decided) {
        await eventually(`${id} decided ${label} in a fresh browser`, async () =>
          (await tileName(other.page, id)).endsWith(`decided ${label}`),
        );
      }
    } finally {
      await other.context.close();
    }
  });

  test('undo appends an undo entry and the sample is undecided again', async () => {
    const { page } = app;
    const [, , third] = await tileIds(page, 3);
    assert.ok(third !== undefined, 'three tiles');
    await tile(page, third).click();
    await page.keyboard.press('7');
    await eventually('third decided 7', async () => (await tileName(page, third)).includes('decided 7'));
    const entry = await journaled(server, third, '7');
    await page.keyboard.press('z');
    await eventually('third undecided', async () => !(await tileName(page, third)).includes('decided'));
    assert.equal(await currentId(page), third, 'undo brings the reverted sample back into view');
    const undo = await eventually('an undo entry on the main side', async () =>
      (await journal(server)).find((e) => e.kind === 'undo' && e.batchId === entry.batchId),
    );
    assert.equal(undo.kind, 'undo');
    // The journal never forgets: the reverted decision is still there.
    assert.ok((await journal(server)).some((e) => e.entryId === entry.entryId));
  });

  test('the right arrow skips a sample still to review, and only moves past a decided one', async () => {
    const { page } = app;
    const ids = await tileIds(page, 12);
    const names = await Promise.all(ids.map((id) => tileName(page, id)));
    const open = ids.findIndex((id, i) => i < ids.length - 1 && !/decided|skipped/.test(names[i]!));
    const done = ids.findIndex((id, i) => i < ids.length - 1 && names[i]!.includes('decided'));
    assert.ok(open >= 0 && done >= 0, 'the top tiles hold both undecided and decided samples');

    await tile(page, ids[open]!).click();
    await page.keyboard.press('ArrowRight');
    const skip = await journaled(server, ids[open]!, null, 'skip');
    assert.equal(skip.kind === 'decision' && skip.after, null, 'a skip records no label');
    await eventually('the tile to say skipped', async () => (await tileName(page, ids[open]!)).includes('skipped'));
    assert.equal(await currentId(page), ids[open + 1], 'a skip moves on to the next sample');

    const before = (await journal(server)).length;
    await tile(page, ids[done]!).click();
    await page.keyboard.press('ArrowRight');
    await eventually('the arrow to move on', async () => (await currentId(page)) === ids[done + 1]);
    assert.match(await tileName(page, ids[done]!), /decided/, 'the decision stands');
    await page.waitForTimeout(500);
    assert.equal((await journal(server)).length, before, 'moving past a decided sample writes nothing');
  });

  test('select similar, one key for all of them in one batch, one undo for the whole batch', async () => {
    const { page } = app;
    const ids = await tileIds(page, 8);
    await tile(page, ids[4]!).click();
    // Enter goes in the very moment "N selected" is on the page (a MutationObserver, before any
    // later task): a reviewer's key press must act on what the screen shows, even that early.
    const pressed = page.evaluate(`new Promise((resolve) => {
      const bar = document.querySelector('[role="toolbar"][aria-label="Decide"]');
      const seen = new MutationObserver(() => {
        const m = /(\\d+) selected/.exec(bar.textContent ?? '');
        if (!m || Number(m[1]) < 2) return;
        seen.disconnect();
        const key = { key: 'Enter', bubbles: true, cancelable: true };
        (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent('keydown', key));
        resolve(Number(m[1]));
      });
      seen.observe(bar, { subtree: true, childList: true, characterData: true });
    })`) as Promise<number>;
    await page.getByRole('button', { name: 'Select similar' }).click();
    const selected = await pressed;
    const batch = await eventually('one batch covering the selection', async () => {
      const j = await journal(server);
      const last = j.filter((e) => e.kind === 'decision' && e.action === 'accept');
      const byBatch = new Map<string, number>();
      for (const e of last) byBatch.set(e.batchId, (byBatch.get(e.batchId) ?? 0) + 1);
      const hit = [...byBatch].find(([, n]) => n >= 2);
      return hit ? { batchId: hit[0], count: hit[1] } : null;
    });
    assert.equal(batch.count, selected, 'every selected sample is in the one batch');
    await page.keyboard.press('z');
    await eventually('the undo of the whole batch', async () =>
      (await journal(server)).some((e) => e.kind === 'undo' && e.batchId === batch.batchId),
    );
  });

  test('retrain shows progress, completes, and the queue is re-ranked by the new model', async () => {
    const { page } = app;
    const before = await queue(server);
    await page.getByRole('button', { name: 'Retrain' }).click();
    const panel = page.getByRole('region', { name: 'Retraining' });
    await panel.getByRole('progressbar').waitFor({ timeout: 30_000 });
    await panel.getByRole('heading', { name: 'Retrained' }).waitFor({ timeout: QUEUE_RETRAIN_TIMEOUT });
    const summary = await page.getByTestId('retrain-summary').textContent();
    assert.match(summary ?? '', /Held-out accuracy/);
    assert.match(summary ?? '', /Marked “other”\d+ of \d+ now predicted “other”/);
    const after = await eventually('a queue from the new model', async () => {
      const q = await queue(server);
      return q.modelVersion !== before.modelVersion ? q : null;
    });
    assert.notDeepEqual(
      [after.ids, after.confidence],
      [before.ids, before.confidence],
      'the new model ranks differently',
    );
    // The label check may re-rank again after the retrain: compare with the latest queue.
    await eventually('the grid to show the new ranking', async () => {
      const latest = await queue(server);
      return latest.modelVersion === after.modelVersion && (await gridMatchesQueue(page, latest));
    });
    // Decisions survive a retrain: they are journal entries, not model state.
    await showOnly(page, 'decided');
    for (const [id, label] of decided) assert.match(await tileName(page, id), new RegExp(`decided ${label}$`));
    await showOnly(page, 'all');
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  test('a fling shows bare tiles while it flies and every tile in view is whole once it stops', async () => {
    const { page } = app;
    const seen = (await page.evaluate(`(async () => {
      const box = document.querySelector('[role="listbox"][aria-label="Review queue"]');
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      let light = 0;
      for (const step of [1500, 1500, 1500, -1500, -1500, -1500]) {
        box.scrollTop += step;
        await frame();
        light = Math.max(light, box.querySelectorAll('.tile.light').length);
      }
      return light;
    })()`)) as number;
    assert.ok(seen > 0, 'tiles that came in during the fling were bare frames');
    await eventually('every tile in view whole again', async () =>
      page.evaluate(`(() => {
        const box = document.querySelector('[role="listbox"][aria-label="Review queue"]');
        const tiles = box.querySelectorAll('[role="option"]');
        return tiles.length > 0 && box.querySelectorAll('.tile.light').length === 0 &&
          box.querySelectorAll('.tile-img').length === tiles.length;
      })()`),
    );
  });

  test('right after the keyboard scrolls the grid, a click still picks a tile', async () => {
    const { page } = app;
    // The retrain above started a label check whose re-ranking would move the tiles under
    // the pointer between aiming and clicking: let it land, and the page fetch it, first.
    await waitSettled(server);
    await page.waitForTimeout(1000);
    await queueBox(page).focus();
    // Any earlier scrolling has settled (a click within 120 ms of a wheel or fling is not a pick).
    await page.waitForTimeout(300);
    await page.keyboard.press('End');
    await page.evaluate(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))`);
    // A tile wholly inside the scroller's visible area (the grid renders overscan rows too).
    const target = (await page.evaluate(`(() => {
      const box = document.querySelector('[role="listbox"][aria-label="Review queue"]').getBoundingClientRect();
      for (const el of document.querySelectorAll('[role="listbox"] [role="option"]')) {
        const r = el.getBoundingClientRect();
        if (r.top >= box.top && r.bottom <= box.bottom && r.left >= box.left && r.right <= box.right)
          return { id: el.getAttribute('data-id'), x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
      return null;
    })()`)) as { id: string; x: number; y: number } | null;
    assert.ok(target, 'a tile in view');
    const { id } = target;
    await page.mouse.click(target.x, target.y);
    await eventually('the clicked tile to be current', async () => (await currentId(page)) === id, 2000);
  });

  test('Insights maps the embeddings, and a click on a point shows that sample', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Insights' }).click();
    const map = page.getByRole('region', { name: 'Embedding map' });
    await map.waitFor({ timeout: 60_000 });
    const points = map.locator('circle');
    const q = await queue(server);
    assert.equal(await points.count(), Math.min(4000, q.ids.length), 'every sample fits on the map');
    // A pool sample's point, clicked where it is drawn.
    const id = await eventually('a pool point', async () => {
      for (let k = (await points.count()) - 1; k >= 0; k--) {
        const pid = await points.nth(k).getAttribute('data-id');
        if (pid && q.split[q.ids.indexOf(pid)] === 1) return pid;
      }
      return null;
    });
    await map.locator(`circle[data-id="${id}"]`).dispatchEvent('click');
    await page.getByRole('dialog', { name: 'Insights' }).waitFor({ state: 'detached' });
    assert.equal(await currentId(page), id);
  });

  test('export writes the corrected dataset and its manifest matches the decisions', async () => {
    const { page } = app;
    const dest = path.join(tmp, 'export');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByLabel('Export folder').fill(dest);
    await page.getByRole('button', { name: 'Export now' }).click();
    await page.getByTestId('export-summary').waitFor({ timeout: 120_000 });
    const rows = fs
      .readFileSync(path.join(dest, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; label: string | null; path: string; decision: string | null });
    for (const [id, label] of decided) {
      const row = rows.find((r) => r.id === id);
      assert.ok(row, `${id} missing from the export`);
      assert.equal(row.label, label);
      const file = path.join(dest, row.path);
      assert.ok(fs.existsSync(file), `${file} not written`);
      assert.equal(path.basename(path.dirname(file)), label, 'image sits in its class folder');
    }
    assert.deepEqual(app.errors, []);
  });
});

const QUEUE_RETRAIN_TIMEOUT = 300_000;
