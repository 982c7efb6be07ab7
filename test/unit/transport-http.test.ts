// The HTTP transport on a real socket: token exchange, Host/Origin checks, validation at the
// edge, server-sent events and static files. The handlers are a small real implementation
// (the transport is what is under test; the service has its own tests).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
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
  fs.mkdirSync(path.join(dir, 'assets', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  const queue = { revision: 'r1', openId: 'o1', order: [1, 0] };
  const samples = { openId: 'o1', ids: ['a', 'b'], split: [0, 1], given: [0, -1] };
  let queueCalls = 0;

  before(async () => {
    const handlers = {
      getBackend: async () => ({ backend: 'tensorflow', libtensorflow: 'test', tfjsNode: 'test' }),
      getQueue: async () => {
        queueCalls++;
        return queue;
      },
      getSamples: async () => samples,
      getProject: async () => {
        throw new Error('a bug in a handler');
      },
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
      media: async (id) =>
        id === 'dir'
          ? { kind: 'file', file: dir }
          : id === 'gone'
            ? { kind: 'file', file: path.join(dir, 'missing.png') }
            : { kind: 'bytes', contentType: 'image/png', body: Buffer.from('png') },
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

  test('a folder, a missing file or a malformed URI is a 4xx and the server keeps answering', async () => {
    for (const p of [
      '/assets/',
      '/assets/sub',
      '/assets/sub/',
      '/assets/missing.js',
      '/media/sample/dir',
      '/media/sample/gone',
    ]) {
      const r = await raw(server, { path: p, headers: auth() });
      assert.equal(r.status, 404, p);
      assert.equal(JSON.parse(r.body).ok, false, p);
    }
    for (const p of ['/media/sample/%E0%A4%A', '/%E0%A4%A', '/assets/%zz.js']) {
      const r = await raw(server, { path: p, headers: auth() });
      assert.equal(r.status, 400, p);
      assert.match(JSON.parse(r.body).error.message, /percent-encoded/, p);
    }
    const js = await raw(server, { path: '/assets/app.js', headers: auth() });
    assert.equal(js.status, 200);
    assert.equal(js.body, 'console.log(1)');
  });

  test('a 64 KB URL is refused with 431, not a dropped connection or a crash', async () => {
    const r = await raw(server, { path: `/media/sample/${'a'.repeat(64 * 1024)}`, headers: auth() });
    assert.equal(r.status, 431);
    assert.equal((await raw(server, { path: '/assets/app.js', headers: auth() })).status, 200);
  });

  test('a handler that throws becomes a 500 JSON error, not a crash', async () => {
    const r = await raw(server, {
      method: 'POST',
      path: '/api/getProject',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(r.status, 500);
    assert.deepEqual(JSON.parse(r.body).error, { code: 'failed', message: 'a bug in a handler' });
  });

  test('the token exchange redirects only to a path of this server, and is not cached', async () => {
    for (const [target, location] of [
      [`/.//evil.example/?token=${server.token}`, '/evil.example/'],
      [`//evil.example/x?token=${server.token}`, '/evil.example/x'],
      [`/%2F%2Fevil.example?token=${server.token}`, '/%2F%2Fevil.example'],
      [`/\\evil.example?token=${server.token}&a=1`, '/evil.example?a=1'],
    ] as const) {
      const r = await raw(server, { path: target, headers: { Host: host() } });
      assert.equal(r.status, 303, target);
      assert.equal(r.headers.location, location, target);
      assert.ok(!String(r.headers.location).startsWith('//'), target);
      assert.equal(r.headers['cache-control'], 'no-store', target);
    }
  });

  test('Fetch Metadata: another site (or another port) is refused on every route, even with the cookie', async () => {
    const cookie = `unsure_session=${server.token}`;
    for (const p of ['/', '/assets/', '/assets/app.js', '/media/sample/x', '/media/sheet?ids=ab', '/api/events']) {
      for (const site of ['same-site', 'cross-site']) {
        const r = await raw(server, { path: p, headers: { Host: host(), Cookie: cookie, 'Sec-Fetch-Site': site } });
        assert.equal(r.status, 403, `${site} ${p}`);
      }
    }
    const post = await raw(server, {
      method: 'POST',
      path: '/api/getBackend',
      headers: { Host: host(), Cookie: cookie, 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-site' },
      body: '{}',
    });
    assert.equal(post.status, 403);
    const own = await raw(server, {
      path: '/assets/app.js',
      headers: { Host: host(), Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' },
    });
    assert.equal(own.status, 200);
  });

  test('the queue and the samples are encoded once per object and served gzipped on request', async () => {
    const call = (headers: Record<string, string>, name = 'getQueue') =>
      new Promise<{ body: Buffer; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'POST',
            path: `/api/${name}`,
            headers: { ...auth(), 'Content-Type': 'application/json', ...headers },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (d: Buffer) => chunks.push(d));
            res.on('end', () => resolve({ body: Buffer.concat(chunks), headers: res.headers }));
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
    const plain = await call({});
    assert.deepEqual(JSON.parse(plain.body.toString()), { ok: true, result: queue });
    const zipped = await call({ 'Accept-Encoding': 'gzip' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.deepEqual(JSON.parse(zlib.gunzipSync(zipped.body).toString()), { ok: true, result: queue });
    for (const headers of [{}, { 'Accept-Encoding': 'gzip' }] as Record<string, string>[]) {
      const r = await call(headers, 'getSamples');
      const text = r.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(r.body) : r.body;
      assert.deepEqual(JSON.parse(text.toString()), { ok: true, result: samples });
    }
    // The handler still runs every time (it decides which queue is current).
    assert.ok(queueCalls >= 2);
  });

  test('many event-stream clients share one listener (no MaxListenersExceededWarning)', async () => {
    const before = listeners.size;
    const readers = [];
    for (let i = 0; i < 15; i++) {
      const res = await fetch(`${server.origin}/api/events`, { headers: { Authorization: `Bearer ${server.token}` } });
      readers.push(res.body!.getReader());
    }
    assert.equal(listeners.size, before);
    for (const l of listeners) l({ type: 'cancelled', jobId: 'fan', task: 'train' });
    for (const r of readers) {
      let text = '';
      while (!text.includes('"fan"')) text += new TextDecoder().decode((await r.read()).value);
      await r.cancel();
    }
  });
});
