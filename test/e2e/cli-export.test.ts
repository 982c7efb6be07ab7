// `unsure export` after a review in the app: the decisions the server journaled, read by the
// CLI on the same datasets (so the same project folder), written as the corrected dataset
// with the original files byte for byte.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { JournalEntry } from '../../src/shared/api.js';
import { MANIFEST_JSONL } from '../../src/main/engine/export/export-dataset.js';
import { makeDigitFixture, type DigitFixture } from './fixtures.js';
import { callApi, queueView, startServer, waitReady } from './server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Row {
  path: string;
  label: string | null;
  split: string;
  source_file: string;
  original_label: string | null;
  decision: string | null;
  reviewer: string | null;
}

describe('unsure export after a review in the app', () => {
  let tmp: string;
  let home: string;
  let fixture: DigitFixture;
  /** Pool file (absolute) -> the decision the reviewer made in the app. */
  const decided = new Map<string, { action: 'relabel' | 'other'; label: string }>();

  const unsure = (...args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'unsure.mjs'), ...args], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, UNSURE_HOME: home },
    });
    return { code: r.status, err: r.stderr };
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-e2e-cli-export-'));
    home = path.join(tmp, 'home');
    fixture = makeDigitFixture(path.join(tmp, 'data'), { train: 120, poolDigits: 12, poolDistractors: 4 });
    const server = await startServer({ train: fixture.train, pool: fixture.pool, home });
    try {
      await waitReady(server);
      const q = (await queueView(server))!;
      const pool = q.ids.filter((_, r) => q.split[r] === 1);
      const choices = [
        { action: 'relabel' as const, label: '3' },
        { action: 'other' as const, label: 'other' },
      ];
      const batchId = randomUUID();
      const entries: JournalEntry[] = [];
      for (const [k, choice] of choices.entries()) {
        const sampleId = pool[k]!;
        const d = await callApi<{ path: string }>(server, 'getSample', { id: sampleId });
        decided.set(path.join(fixture.pool, d.path), choice);
        entries.push({
          kind: 'decision',
          entryId: randomUUID(),
          batchId,
          sampleId,
          action: choice.action,
          before: null,
          after: choice.label,
          at: new Date().toISOString(),
          reviewer: 'cli-test',
        });
      }
      await callApi(server, 'appendJournal', { entries });
    } finally {
      await server.stop();
    }
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("writes the app's decisions over the given labels, with the original files", () => {
    const out = path.join(tmp, 'corrected');
    const r = unsure('export', '--train', fixture.train, '--pool', fixture.pool, '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /2 decisions from .*decisions\.jsonl, 2 labels corrected/);
    const rows = fs
      .readFileSync(path.join(out, MANIFEST_JSONL), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    const files = (dir: string) =>
      fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.equal(rows.length, files(fixture.train).length + files(fixture.pool).length, 'one row per file');
    for (const row of rows) {
      const exported = path.join(out, row.path);
      assert.deepEqual(fs.readFileSync(exported), fs.readFileSync(row.source_file), `${row.path}: the original bytes`);
      const d = decided.get(row.source_file);
      if (d) {
        assert.equal(row.label, d.label);
        assert.equal(row.decision, d.action);
        assert.equal(row.reviewer, 'cli-test');
        assert.equal(path.dirname(row.path), d.label, 'in its class folder');
      } else {
        assert.equal(row.label, row.original_label, `${row.path}: undecided, as given`);
        assert.equal(row.decision, null);
        assert.equal(path.dirname(row.path), row.label ?? 'unlabeled');
      }
    }
    assert.equal(rows.filter((r) => r.decision).length, 2);
  });

  test('an --out inside a dataset is refused before anything is read', () => {
    const r = unsure('export', '--train', fixture.train, '--pool', fixture.pool, '--out', path.join(fixture.pool, 'x'));
    assert.notEqual(r.code, 0);
    assert.match(r.err, /--out .* is inside the source dataset/);
    assert.ok(!fs.existsSync(path.join(fixture.pool, 'x')));
  });
});
