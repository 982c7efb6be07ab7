// resolveBackbone against a real HTTP server on 127.0.0.1 serving the shipped backbone's
// files: one download into the cache, later uses from the cache with no request, and every
// failure (wrong checksum, a cut connection, a 404, a tampered cache file) named, with
// nothing left behind in the cache.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { backboneCacheDir, resolveBackbone } from '../../src/main/engine/model/backbone-source.js';
import { tempDir } from './model-fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shipped = path.join(root, 'resources', 'backbones', 'mobilenet-v2-0.35-imagenet');
const tmp = tempDir('unsure-backbone-');
after(tmp.cleanup);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Requests seen, by path. */
const requests: string[] = [];
let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    // /cut/... sends half of weights.bin under the full Content-Length, then drops the connection.
    const [, mode, name] = /^\/(ok|cut|chunked-cut)\/([^/]+)$/.exec(url) ?? [];
    // An .onnx URL is served the shipped weights' bytes: only their hash matters here.
    const file = name ? path.join(shipped, name.endsWith('.onnx') ? 'weights.bin' : name) : '';
    if (!mode || !name || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = readFileSync(file);
    if (mode !== 'ok' && name === 'weights.bin') {
      res.writeHead(200, mode === 'cut' ? { 'content-length': String(body.length) } : {});
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.writeHead(200, { 'content-length': String(body.length) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const modelSha = () => sha(path.join(shipped, 'model.json'));

test('a URL is downloaded once, recorded, and used from the cache with no request after', async () => {
  const cacheDir = path.join(tmp.dir, 'cache-1');
  const url = `${base}/ok/model.json`;
  const first = await resolveBackbone(url, { cacheDir, sha256: modelSha() });
  assert.equal(first.source, 'download');
  assert.equal(first.format, 'tfjs');
  assert.deepEqual(first.sha256, {
    'model.json': modelSha(),
    'weights.bin': sha(path.join(shipped, 'weights.bin')),
  });
  assert.equal(sha(path.join(first.dir, 'weights.bin')), sha(path.join(shipped, 'weights.bin')));
  // Only the entry itself is in the cache: no temp folder is left.
  assert.deepEqual(readdirSync(cacheDir), [path.basename(first.dir)]);
  const seen = requests.length;
  const again = await resolveBackbone(url, { cacheDir });
  assert.equal(again.source, 'cache');
  assert.equal(again.dir, first.dir);
  assert.deepEqual(again.sha256, first.sha256);
  assert.equal(requests.length, seen, 'the cache is used without a request');
  // A checksum given later is checked against the recorded one.
  await assert.rejects(resolveBackbone(url, { cacheDir, sha256: 'a'.repeat(64) }), /does not match --backbone-sha256/);
});

test('an .onnx URL is one file, downloaded once', async () => {
  const cacheDir = path.join(tmp.dir, 'cache-onnx');
  const url = `${base}/ok/net.onnx`;
  const want = sha(path.join(shipped, 'weights.bin'));
  const r = await resolveBackbone(url, { cacheDir, sha256: want.toUpperCase() });
  assert.deepEqual([r.source, r.format, r.main], ['download', 'onnx', 'net.onnx']);
  assert.deepEqual(r.sha256, { 'net.onnx': want });
  assert.equal((await resolveBackbone(url, { cacheDir, sha256: want })).source, 'cache');
  assert.equal(backboneCacheDir('/h'), path.join('/h', 'cache', 'backbones'));
});

test('a tampered cache file is an error that names it', async () => {
  const cacheDir = path.join(tmp.dir, 'cache-2');
  const url = `${base}/ok/model.json`;
  const r = await resolveBackbone(url, { cacheDir });
  const weights = path.join(r.dir, 'weights.bin');
  const bytes = readFileSync(weights);
  bytes[1000] = bytes[1000]! ^ 0xff;
  writeFileSync(weights, bytes);
  await assert.rejects(
    resolveBackbone(url, { cacheDir }),
    (e: Error) => e.message.includes(weights) && /has changed since it was downloaded/.test(e.message),
  );
});

test('a wrong checksum stops after model.json and keeps nothing', async () => {
  const cacheDir = path.join(tmp.dir, 'cache-3');
  const seen = requests.length;
  await assert.rejects(
    resolveBackbone(`${base}/ok/model.json`, { cacheDir, sha256: '0'.repeat(64) }),
    /sha256 [0-9a-f]{64} does not match --backbone-sha256 0{64}; nothing was kept in the cache/,
  );
  assert.deepEqual(requests.slice(seen), ['/ok/model.json']);
  assert.deepEqual(readdirSync(cacheDir), []);
});

for (const mode of ['cut', 'chunked-cut']) {
  test(`a connection cut mid-file (${mode}) is an interrupted download that leaves nothing`, async () => {
    const cacheDir = path.join(tmp.dir, `cache-${mode}`);
    await assert.rejects(
      resolveBackbone(`${base}/${mode}/model.json`, { cacheDir }),
      /download of .*weights\.bin was interrupted after \d+.* bytes.*; nothing was kept in the cache/,
    );
    assert.deepEqual(readdirSync(cacheDir), []);
  });
}

test('a 404 names the URL and the status', async () => {
  const cacheDir = path.join(tmp.dir, 'cache-404');
  await assert.rejects(
    resolveBackbone(`${base}/ok/no-such.json`, { cacheDir }),
    /\/ok\/no-such\.json: HTTP 404 Not Found; nothing was kept/,
  );
  assert.deepEqual(readdirSync(cacheDir), []);
});

test('a path is used in place: a tfjs folder, an .onnx file; anything else is refused', async () => {
  const r = await resolveBackbone(shipped, { cacheDir: path.join(tmp.dir, 'unused') });
  assert.equal(r.source, 'path');
  assert.equal(r.dir, shipped);
  assert.equal(r.sha256['weights.bin'], sha(path.join(shipped, 'weights.bin')));
  assert.ok(!existsSync(path.join(tmp.dir, 'unused')), 'a path needs no cache');
  const onnx = path.join(tmp.dir, 'net.onnx');
  writeFileSync(onnx, 'not really a model, only hashed here');
  const o = await resolveBackbone(onnx, { cacheDir: path.join(tmp.dir, 'unused'), sha256: sha(onnx) });
  assert.deepEqual([o.format, o.main, o.dir], ['onnx', 'net.onnx', tmp.dir]);
  // A folder holding one .onnx file is that model; none, or two, is refused.
  const f = await resolveBackbone(tmp.dir, { cacheDir: path.join(tmp.dir, 'unused') });
  assert.deepEqual([f.format, f.main, f.dir], ['onnx', 'net.onnx', tmp.dir]);
  const empty = path.join(tmp.dir, 'empty');
  mkdirSync(empty);
  await assert.rejects(resolveBackbone(empty, { cacheDir: tmp.dir }), /expected a tfjs model folder/);
  writeFileSync(path.join(empty, 'a.onnx'), 'a');
  writeFileSync(path.join(empty, 'b.onnx'), 'b');
  await assert.rejects(resolveBackbone(empty, { cacheDir: tmp.dir }), /it holds 2 \.onnx files/);
  await assert.rejects(resolveBackbone('ftp://example.invalid/m.onnx', { cacheDir: tmp.dir }), /only http/);
  await assert.rejects(resolveBackbone(shipped, { cacheDir: tmp.dir, sha256: 'xyz' }), /64 hex digits/);
});
