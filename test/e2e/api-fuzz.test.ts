// A bounded, seeded fuzz of the real browser-mode server: every API method of the contract
// gets malformed and oversized payloads, and every media and static route gets folders,
// missing files, malformed and huge URLs. No answer may be a 5xx, the process must not
// exit, API errors are JSON, and getProject still answers at the end.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Api, type ApiName, type ProjectInfo } from '../../src/shared/api.js';
import { makeDigitFixture } from './fixtures.js';
import { callApi, queueView, startServer, waitReady, type StartedServer } from './server.js';
import { mulberry32 } from '../../src/main/engine/datasets/random.js';

interface Reply {
  status: number;
  type: string;
  body: string;
}

function send(server: StartedServer, method: string, target: string, body?: string, type = 'application/json') {
  const u = new URL(server.origin);
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: Number(u.port),
        method,
        path: target,
        headers: { Authorization: `Bearer ${server.token}`, ...(body !== undefined ? { 'Content-Type': type } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** Bodies that are wrong for every method, whatever its schema. */
function payloads(random: () => number, name: ApiName): string[] {
  const junk = () => Math.floor(random() * 1e9).toString(36);
  const shape = Api[name].params as { shape?: Record<string, unknown> };
  const fields = Object.keys(shape.shape ?? {});
  const out = [
    '',
    '{',
    '{nope',
    'NaN',
    '{"x": NaN}',
    'null',
    '[]',
    '"a string"',
    '42',
    'true',
    JSON.stringify({ [junk()]: junk() }),
    JSON.stringify({ extra: 1, ...Object.fromEntries(fields.map((f) => [f, null])) }),
    deep(20_000),
    JSON.stringify({ a: JSON.parse(deep(500)) }),
    JSON.stringify({ big: 'x'.repeat(1_000_000) }),
    JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i)),
    '\u0000\u0001\u0002',
    Buffer.from([0xff, 0xfe, 0x80, 0x81]).toString('latin1'),
  ];
  // Every field with values of the wrong kind, too big or too deep.
  const wrong: unknown[] = [
    null,
    1.5,
    -1,
    1e308,
    true,
    junk(),
    '',
    'x'.repeat(200_000),
    [],
    Array.from({ length: 100_000 }, () => 0),
    {},
    { nested: { deeper: [1, { x: 'y' }] } },
  ];
  for (const f of fields) {
    for (const v of wrong) {
      // A plain string is a valid path for these and would start real work (an export into
      // the server's folder, a training): they get only values of the wrong type.
      if ((name === 'exportDataset' || name === 'openDataset') && typeof v === 'string') continue;
      if (name === 'retrain' && typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 50) continue;
      out.push(JSON.stringify({ [f]: v }));
    }
  }
  if (name === 'appendJournal') {
    const entry = {
      kind: 'decision',
      entryId: 'e'.repeat(8),
      batchId: 'b'.repeat(8),
      sampleId: 'no-such-sample',
      action: 'relabel',
      before: null,
      after: 'not-a-label',
      at: new Date(0).toISOString(),
      reviewer: 'fuzz',
    };
    out.push(
      JSON.stringify({ entries: [entry] }),
      JSON.stringify({ entries: [{ ...entry, at: 'yesterday' }] }),
      JSON.stringify({ entries: [{ ...entry, kind: 'undo' }] }),
      JSON.stringify({ entries: Array.from({ length: 10_001 }, () => entry) }),
      JSON.stringify({ entries: [{ ...entry, reviewer: 'r'.repeat(1000) }] }),
    );
  }
  return out;
}

describe('API and route fuzz against the real server', () => {
  let tmp: string;
  let server: StartedServer;
  let sampleId = '';
  let requests = 0;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-e2e-fuzz-'));
    const data = makeDigitFixture(path.join(tmp, 'data'), { train: 200, poolDigits: 20, poolDistractors: 10 });
    server = await startServer({ train: data.train, pool: data.pool, home: path.join(tmp, 'home') });
    await waitReady(server);
    sampleId = (await queueView(server))!.ids[0]!;
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const check = (what: string, r: Reply, json: boolean) => {
    requests++;
    assert.ok(r.status < 500, `${what}: HTTP ${r.status} ${r.body.slice(0, 300)}\n${server.output().slice(-2000)}`);
    if (json && r.status !== 415 && r.status !== 431) {
      assert.match(r.type, /application\/json/, what);
      const parsed = JSON.parse(r.body) as { ok: boolean; error?: { message: string } };
      if (!parsed.ok) assert.ok(parsed.error?.message, `${what}: an error without a message`);
    }
  };

  test('every API method: malformed and oversized payloads get 4xx JSON errors', async () => {
    const random = mulberry32(8);
    for (const name of Object.keys(Api) as ApiName[]) {
      for (const body of payloads(random, name)) {
        const r = await send(server, 'POST', `/api/${name}`, body);
        check(`${name} ${body.slice(0, 80)}`, r, true);
      }
      check(`${name} form post`, await send(server, 'POST', `/api/${name}`, 'a=1', 'text/plain'), true);
      check(`${name} GET`, await send(server, 'GET', `/api/${name}`), true);
    }
    assert.equal(server.exited?.(), false);
  });

  test('every media and static route: folders, missing files, malformed and huge URLs', async () => {
    const random = mulberry32(14);
    const targets = [
      '/assets/',
      '/assets',
      '/assets/.',
      '/assets/..',
      '/assets/nope.js',
      '/nope.png',
      '/%E0%A4%A',
      '/assets/%E0%A4%A.js',
      '/media/sample/',
      '/media/sample/%E0%A4%A',
      '/media/sample/..%2F..%2Fetc%2Fpasswd',
      `/media/sample/${encodeURIComponent(sampleId)}`,
      '/media/sample/no-such-sample',
      '/media/sheet',
      '/media/sheet?ids=',
      '/media/sheet?ids=%E0%A4%A',
      `/media/sheet?ids=${'a.'.repeat(5000)}`,
      `/media/sheet?ids=${encodeURIComponent(sampleId)}`,
      '/.//evil.example/',
      '//evil.example/',
      `/${'a'.repeat(64 * 1024)}`,
      `/media/sample/${'a'.repeat(64 * 1024)}`,
      `/media/sheet?ids=${'a'.repeat(64 * 1024)}`,
    ];
    for (let i = 0; i < 300; i++) {
      // Random byte soup in a path, percent-encoded or not.
      const len = 1 + Math.floor(random() * 40);
      let p = '';
      for (let k = 0; k < len; k++) {
        const c = Math.floor(random() * 128);
        p +=
          random() < 0.5
            ? `%${c.toString(16).padStart(2, '0')}`
            : /[A-Za-z0-9._~-]/.test(String.fromCharCode(c))
              ? String.fromCharCode(c)
              : '%';
      }
      targets.push(`/${['assets/', 'media/sample/', 'media/sheet?ids=', ''][i % 4]}${p}`);
    }
    for (const t of targets) {
      for (const method of ['GET', 'POST', 'HEAD']) {
        const r = await send(server, method, t, method === 'POST' ? '{}' : undefined);
        check(`${method} ${t.slice(0, 80)}`, r, false);
      }
    }
    assert.equal(server.exited?.(), false);
  });

  test('the server still answers after the fuzz', async () => {
    const p = await callApi<ProjectInfo>(server, 'getProject');
    assert.equal(p.status === 'ready' || p.status === 'training' || p.status === 'scoring', true, p.status);
    assert.ok(requests > 1000, `${requests} requests`);
    console.log(`fuzz: ${requests} requests, no 5xx, server alive`);
  });
});
