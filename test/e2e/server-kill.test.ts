// `unsure serve` killed with SIGKILL at its most delicate moments, then restarted on the same
// project: acknowledged decisions are all kept, a retrain that never finished leaves the
// previous model in use, and an export cut short is never presented as a complete one.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { JournalEntry, ProjectInfo } from '../../src/shared/api.js';
import { MANIFEST_CSV, MANIFEST_JSONL } from '../../src/main/engine/export/export-dataset.js';
import { makeDigitFixture, type DigitFixture } from './fixtures.js';
import { callApi, queueView, startServer, waitReady } from './server.js';

describe('the server killed mid-work', () => {
  let tmp: string;
  let home: string;
  let data: DigitFixture;
  const start = () => startServer({ train: data.train, pool: data.pool, home, seed: 3 });

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-e2e-kill-'));
    home = path.join(tmp, 'home');
    data = makeDigitFixture(path.join(tmp, 'data'), { train: 200, poolDigits: 20, poolDistractors: 10 });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('during a burst of journal appends: every acknowledged entry is kept', async () => {
    let server = await start();
    await waitReady(server);
    const project = await callApi<ProjectInfo>(server, 'getProject');
    const queue = (await queueView(server))!;
    const acked = new Set<string>();
    let failed = 0;
    const batch = (): JournalEntry[] => {
      const batchId = randomUUID();
      return Array.from({ length: 25 }, (_, k) => ({
        kind: 'decision' as const,
        entryId: randomUUID(),
        batchId,
        sampleId: queue.ids[k % queue.ids.length]!,
        action: 'relabel' as const,
        before: null,
        after: project.labels[k % project.labels.length]!,
        at: new Date().toISOString(),
        reviewer: 'kill-test',
      }));
    };
    // Four writers in parallel, each sending batch after batch until the server dies.
    const writer = async () => {
      for (;;) {
        const entries = batch();
        try {
          await callApi(server, 'appendJournal', { entries });
          for (const e of entries) acked.add(e.entryId);
        } catch {
          failed++;
          return;
        }
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    while (acked.size < 1000) await new Promise((r) => setTimeout(r, 5));
    await server.kill!();
    await Promise.all(writers);
    assert.ok(failed > 0, 'the kill cut some appends short');

    server = await start();
    try {
      await waitReady(server);
      const stored = new Set((await callApi<JournalEntry[]>(server, 'getJournal')).map((e) => e.entryId));
      const lost = [...acked].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged entries lost`);
      console.log(`kill during appends: ${acked.size} acknowledged, ${stored.size} stored, 0 lost`);
    } finally {
      await server.stop();
    }
  });

  test('during a retrain: the previous model is kept and the project reopens with it', async () => {
    let server = await start();
    await waitReady(server);
    const before = (await callApi<ProjectInfo>(server, 'getProject')).modelVersion;
    assert.ok(before);
    await callApi(server, 'retrain', { epochs: 50 });
    // Killed once the training is under way.
    for (let i = 0; i < 400; i++) {
      if ((await callApi<ProjectInfo>(server, 'getProject')).status === 'training') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await server.kill!();
    server = await start();
    try {
      await waitReady(server);
      const p = await callApi<ProjectInfo>(server, 'getProject');
      assert.equal(p.modelVersion, before, 'the project reopened with the model it had before the retrain');
    } finally {
      await server.stop();
    }
  });

  test('during an export: the destination is absent or complete, never half', async () => {
    let server = await start();
    await waitReady(server);
    const projectDir = (await callApi<ProjectInfo>(server, 'getProject')).dir;
    const dest = path.join(tmp, `export-${randomUUID().slice(0, 8)}`);
    await callApi(server, 'exportDataset', { dir: dest });
    // Killed as soon as anything shows up beside the destination (or after a short while).
    for (let i = 0; i < 200 && !fs.readdirSync(tmp).some((f) => f.startsWith(path.basename(dest))); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await server.kill!();
    if (fs.existsSync(dest)) {
      // Present means complete: both manifests, and every image they list.
      const lines = fs.readFileSync(path.join(dest, MANIFEST_JSONL), 'utf8').trim().split('\n');
      assert.ok(fs.existsSync(path.join(dest, MANIFEST_CSV)));
      for (const line of lines) {
        const row = JSON.parse(line) as Record<string, unknown>;
        const file = Object.values(row).find((v) => typeof v === 'string' && /\.png$/.test(v)) as string | undefined;
        if (file) assert.ok(fs.existsSync(path.join(dest, file)) || fs.existsSync(file), `${file} listed but missing`);
      }
    }
    // A line torn by a crash: reported to the user in the app, not only on stderr.
    fs.appendFileSync(path.join(projectDir, 'decisions.jsonl'), '{"kind":"decision","entryId":"torn');
    server = await start();
    try {
      await waitReady(server);
      const p = await callApi<ProjectInfo>(server, 'getProject');
      assert.equal(p.status, 'ready');
      assert.match((p.warnings ?? []).join('\n'), /decisions\.jsonl: line \d+ is incomplete/);
      // A dataset path that does not exist is refused before a project folder is made.
      const projects = () => fs.readdirSync(path.dirname(projectDir)).length;
      const count = projects();
      for (let i = 0; i < 3; i++) {
        await assert.rejects(
          callApi(server, 'openDataset', { train: path.join(tmp, `missing-${i}`) }),
          /does not exist/,
        );
      }
      assert.equal(projects(), count);
      // So is a folder that holds no images.
      const empty = path.join(tmp, 'empty-dataset');
      fs.mkdirSync(empty, { recursive: true });
      await assert.rejects(callApi(server, 'openDataset', { train: empty }), /is empty of data/);
      // One that looks like a dataset but cannot train (one class of unreadable files) opens
      // and fails: the folder it made goes again.
      const unreadable = path.join(tmp, 'unreadable-dataset', 'only-class');
      fs.mkdirSync(unreadable, { recursive: true });
      for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(unreadable, `${i}.png`), `not a png ${i}`);
      await callApi(server, 'openDataset', { train: path.dirname(unreadable) });
      const deadline = Date.now() + 30_000;
      let after = await callApi<ProjectInfo>(server, 'getProject');
      while (!/could not open/.test(after.statusMessage ?? '') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        after = await callApi<ProjectInfo>(server, 'getProject');
      }
      assert.match(after.statusMessage ?? '', /could not open the dataset/);
      assert.equal(projects(), count);
    } finally {
      await server.stop();
    }
  });
});
