// Browser mode: the same API as Electron's IPC, over HTTP on 127.0.0.1, plus server-sent
// events for progress and the built renderer as static files. See request-guard.ts for why
// every request is checked for Host, Origin and the per-launch token.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApiError, parseCall, type ApiHandlers, type JobEvent } from '../../shared/api.js';
import { parseSheetIds } from '../../shared/media.js';
import { contentSecurityPolicy } from '../security/csp.js';
import { staticFileFor } from '../security/path-guard.js';
import { checkRequest, SESSION_COOKIE } from '../security/request-guard.js';
import type { Media } from '../service/service.js';

export interface HttpServerOptions {
  handlers: ApiHandlers;
  onEvent(listener: (e: JobEvent) => void): () => void;
  media(id: string): Media;
  mediaSheet(ids: readonly string[]): Media;
  /** Folder with the built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  port: number;
  origin: string;
  token: string;
  /** The URL to open: carries the token once, then a cookie takes over. */
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 32 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const STATUS: Record<ApiError['code'], number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  failed: 500,
};

function securityHeaders(res: http.ServerResponse): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy());
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(data);
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError('bad_request', `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('bad_request', 'request body is not valid JSON');
  }
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let port = 0;

  const server = http.createServer((req, res) => {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const guard = checkRequest(
      {
        method: req.method ?? 'GET',
        host: req.headers.host,
        origin: req.headers.origin,
        cookie: req.headers.cookie,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        queryToken: url.searchParams.get('token'),
      },
      port,
      token,
    );
    if (!guard.ok) {
      res.writeHead(guard.status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Unsure: ${guard.reason}\n`);
      return;
    }
    if (guard.via === 'query') {
      // Trade the URL token for an HttpOnly, SameSite=Strict cookie and drop it from the
      // address bar, so it is neither in history nor readable by scripts.
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { Location: `${url.pathname}${url.search}` });
      res.end();
      return;
    }
    handle(req, res, url).catch((err: unknown) => {
      const e =
        err instanceof ApiError ? err : new ApiError('failed', err instanceof Error ? err.message : String(err));
      if (res.headersSent) {
        res.end();
        return;
      }
      sendJson(res, STATUS[e.code], { ok: false, error: { code: e.code, message: e.message } });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const p = url.pathname;
    if (p === '/api/events' && req.method === 'GET') return events(req, res);
    if (p.startsWith('/api/')) {
      if (req.method !== 'POST') throw new ApiError('bad_request', 'API calls are POST requests');
      const call = parseCall(p.slice('/api/'.length), await readBody(req));
      const handler = opts.handlers[call.name] as (params: unknown) => Promise<unknown>;
      sendJson(res, 200, { ok: true, result: await handler(call.params) });
      return;
    }
    if (p.startsWith('/media/sample/') && req.method === 'GET') {
      const id = decodeURIComponent(p.slice('/media/sample/'.length));
      return sendMedia(res, opts.media(id));
    }
    if (p === '/media/sheet' && req.method === 'GET') {
      let ids: string[];
      try {
        ids = parseSheetIds(url.searchParams.get('ids'));
      } catch (err) {
        throw new ApiError('bad_request', (err as Error).message);
      }
      return sendMedia(res, opts.mediaSheet(ids));
    }
    if (req.method !== 'GET') throw new ApiError('bad_request', `${req.method} ${p} is not served`);
    const file =
      staticFileFor(opts.rendererDir, p) ?? (path.extname(p) ? null : path.join(opts.rendererDir, 'index.html'));
    if (!file || !fs.existsSync(file)) throw new ApiError('not_found', `${p} not found`);
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': p.startsWith('/assets/') ? 'max-age=31536000, immutable' : 'no-cache',
    });
    fs.createReadStream(file).pipe(res);
  }

  function sendMedia(res: http.ServerResponse, m: Media): void {
    if (m.kind === 'bytes') {
      res.writeHead(200, { 'Content-Type': m.contentType, 'Cache-Control': 'max-age=3600' });
      res.end(m.body);
      return;
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(m.file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': 'max-age=3600',
    });
    fs.createReadStream(m.file).pipe(res);
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    const off = opts.onEvent((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
    // A comment line every 15 s keeps proxies and idle timeouts from closing the stream.
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(ping);
      off();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE' ? new Error(`port ${opts.port} is already in use: pick another with --port`) : err,
      ),
    );
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    token,
    url: `${origin}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
