// The HTTP transport on a real socket: token exchange, Host/Origin checks, validation at the
// edge, server-sent events and static files. The handlers are a small real implementation
// (the transport is what is under test; the service has its own tests).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ApiHandlers, JobEvent } from '../../src/shared/api.js';
import { startHttpServer, type RunningServer } from '../../src/main/transport/http-server.js';

/** Raw request, so Host and Origin can be set to anything (fetch forbids that). */
function raw(
  server: RunningServer,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('browser-mode HTTP server', () => {
  let server: RunningServer;
  const listeners = new Set<(e: JobEvent) => void>();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-http-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Unsure</title>');
  fs.writeFileSync(path.join(os.tmpdir(), 'unsure-outside.txt'), 'secret');

  before(async () => {
    const handlers = {
      getBackend: async () => ({ backend: 'tensorflow', libtensorflow: 'test', tfjsNode: 'test' }),
      cancelJob: async ({ jobId }: { jobId: string }) => {
        for (const l of listeners) l({ type: 'cancelled', jobId, task: 'train' });
        return { cancelled: true };
      },
    } as unknown as ApiHandlers;
    server = await startHttpServer({
      handlers,
      onEvent: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      media: () => ({ kind: 'bytes', contentType: 'image/png', body: Buffer.from('png') }),
      mediaSheet: (ids) => ({ kind: 'bytes', contentType: 'image/png', body: Buffer.from(`sheet:${ids.join(',')}`) }),
      rendererDir: dir,
    });
  });
  after(() => server.close());

  const host = () => `127.0.0.1:${server.port}`;
  const auth = () => ({ Host: host(), Authorization: `Bearer ${server.token}` });

  test('binds 127.0.0.1 and prints a URL with the token', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });

  test('the URL token becomes an HttpOnly SameSite=Strict cookie and leaves the address bar', async () => {
    const r = await raw(server, { path: `/?token=${server.token}`, headers: { Host: host() } });
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/');
    const cookie = String(r.headers['set-cookie']);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const page = await raw(server, { path: '/', headers: { Host: host(), Cookie: cookie.split(';')[0]! } });
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Unsure/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  });

  test('refuses requests without the token, from other hosts, and from other origins', async () => {
    assert.equal((await raw(server, { path: '/', headers: { Host: host() } })).status, 401);
    assert.equal((await raw(server, { path: '/', headers: { ...auth(), Host: 'attacker.example' } })).status, 403);
    const post = await raw(server, {
      method: 'POST',
      path: '/api/getBackend',
      headers: { ...auth(), Origin: 'https://attacker.example', 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(post.status, 403);
  });

  test('API calls round-trip and bad params are refused with the field named', async () => {
    const ok = await raw(server, {
      method: 'POST',
      path: '/api/getBackend',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.deepEqual(JSON.parse(ok.body), {
      ok: true,
      result: { backend: 'tensorflow', libtensorflow: 'test', tfjsNode: 'test' },
    });
    const bad = await raw(server, {
      method: 'POST',
      path: '/api/cancelJob',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{"jobId": 5}',
    });
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).error.message, /cancelJob: jobId/);
    const unknown = await raw(server, {
      method: 'POST',
      path: '/api/deleteEverything',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(unknown.status, 400);
    const notJson = await raw(server, {
      method: 'POST',
      path: '/api/getBackend',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{nope',
    });
    assert.match(JSON.parse(notJson.body).error.message, /not valid JSON/);
  });

  test('a thumbnail sheet takes ids joined by dots; bad ids are refused by name', async () => {
    const ok = await raw(server, { path: '/media/sheet?ids=ab12.cd34', headers: auth() });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'sheet:ab12,cd34');
    assert.match(String(ok.headers['cache-control']), /max-age/);
    const bad = await raw(server, { path: '/media/sheet?ids=ab12.%2E%2E%2Fetc', headers: auth() });
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).error.message, /not a sample id/);
    const many = Array.from({ length: 33 }, (_, i) => `id${i}`).join('.');
    const tooMany = await raw(server, { path: `/media/sheet?ids=${many}`, headers: auth() });
    assert.match(JSON.parse(tooMany.body).error.message, /at most 32 samples, got 33/);
    const none = await raw(server, { path: '/media/sheet', headers: auth() });
    assert.match(JSON.parse(none.body).error.message, /needs ids/);
  });

  test('static files cannot escape the renderer folder', async () => {
    const r = await raw(server, { path: '/../unsure-outside.txt', headers: auth() });
    assert.notEqual(r.body, 'secret');
    const enc = await raw(server, { path: '/%2e%2e/unsure-outside.txt', headers: auth() });
    assert.equal(enc.status, 404);
  });

  test('events arrive over server-sent events', async () => {
    const res = await fetch(`${server.origin}/api/events`, { headers: { Authorization: `Bearer ${server.token}` } });
    const reader = res.body!.getReader();
    await raw(server, {
      method: 'POST',
      path: '/api/cancelJob',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{"jobId":"j1"}',
    });
    let text = '';
    while (!text.includes('"cancelled"')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    assert.match(text, /data: \{"type":"cancelled","jobId":"j1","task":"train"\}/);
  });
});
