// Browser mode: the same API as Electron's IPC, over HTTP on 127.0.0.1, plus server-sent
// events for progress and the built renderer as static files. See request-guard.ts for why
// every request is checked for Host, Origin and the per-launch token.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApiError, errorReply, parseCall, type ApiHandlers, type ApiReply, type JobEvent } from '../../shared/api.js';
import { parseSheetIds } from '../../shared/media.js';
import { contentSecurityPolicy } from '../security/csp.js';
import { staticFileFor } from '../security/path-guard.js';
import { checkRequest, SESSION_COOKIE } from '../security/request-guard.js';
import type { Media } from '../service/service.js';
import { eventStreams } from './event-stream.js';
import { replyCache, type EncodedReply } from './response-cache.js';
import { contentTypeFor, sendFile } from './static-files.js';

export interface HttpServerOptions {
  handlers: ApiHandlers;
  onEvent(listener: (e: JobEvent) => void): () => void;
  media(id: string): Promise<Media>;
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

function sendError(res: http.ServerResponse, err: unknown, what: string): void {
  const reply = errorReply(err);
  const { code, message } = reply.error;
  // A 500 is a bug or a real failure on this side: say so where the operator looks.
  if (code === 'failed') console.error(`unsure: ${what} failed: ${err instanceof Error ? err.stack : message}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, STATUS[code], reply);
}

function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw new ApiError('bad_request', 'the URL is not validly percent-encoded');
  }
}

/** Where to go after the token exchange: always a path of this server, never `//host/`. */
export function sameOriginPath(url: URL): string {
  return `/${url.pathname.replace(/^[/\\]+/, '')}${url.search}`;
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY) throw new ApiError('bad_request', `request body over ${MAX_BODY} bytes`);
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
  const streams = eventStreams(opts.onEvent);
  // The two large answers, each the same object until it changes (see response-cache.ts).
  const encoded = replyCache();
  const cachedCalls: ReadonlySet<string> = new Set(['getQueue', 'getSamples']);

  // No request may end the process: everything a request does runs inside this try, and
  // every async path ends in sendError.
  const server = http.createServer((req, res) => {
    res.on('error', () => undefined); // a client that went away mid-answer
    try {
      route(req, res);
    } catch (err) {
      sendError(res, err, `${req.method} ${req.url?.slice(0, 200)}`);
    }
  });
  // Malformed requests (a bad request line, a 64 KB URL over the header limit) never reach
  // the handler: answer them here, or the default would just drop the socket.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  function route(req: http.IncomingMessage, res: http.ServerResponse): void {
    securityHeaders(res);
    const target = req.url ?? '/';
    // Origin-form only ("/path?query"): an absolute or authority form is not for this server.
    if (!target.startsWith('/')) throw new ApiError('bad_request', 'the request target must be a path');
    // Parsed as a path of this origin, so `//host/x` stays the path `//host/x`.
    const url = new URL(`http://127.0.0.1${target}`);
    const guard = checkRequest(
      {
        method: req.method ?? 'GET',
        host: req.headers.host,
        origin: req.headers.origin,
        cookie: req.headers.cookie,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        fetchSite: req.headers['sec-fetch-site'],
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
      res.writeHead(303, { Location: sameOriginPath(url), 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    handle(req, res, url).catch((err: unknown) => sendError(res, err, `${req.method} ${url.pathname.slice(0, 200)}`));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const p = url.pathname;
    decodePath(p);
    if (p === '/api/events' && req.method === 'GET') return streams.serve(req, res);
    if (p.startsWith('/api/')) {
      if (req.method !== 'POST') throw new ApiError('bad_request', 'API calls are POST requests');
      const call = parseCall(p.slice('/api/'.length), await readBody(req));
      const handler = opts.handlers[call.name] as (params: unknown) => Promise<unknown>;
      const result = await handler(call.params);
      if (cachedCalls.has(call.name) && result !== null && typeof result === 'object') {
        return sendEncoded(req, res, encoded(result));
      }
      sendJson(res, 200, { ok: true, result } satisfies ApiReply);
      return;
    }
    if (p.startsWith('/media/sample/') && req.method === 'GET') {
      return sendMedia(res, await opts.media(decodePath(p.slice('/media/sample/'.length))));
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
    if (!file) throw new ApiError('not_found', `${p} not found`);
    await sendFile(res, file, {
      'Content-Type': contentTypeFor(file),
      'Cache-Control': p.startsWith('/assets/') ? 'max-age=31536000, immutable' : 'no-cache',
    });
  }

  async function sendEncoded(req: http.IncomingMessage, res: http.ServerResponse, reply: EncodedReply) {
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      Vary: 'Accept-Encoding',
    };
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      const body = await reply.gzip.catch(() => null);
      if (body) {
        res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': body.length });
        res.end(body);
        return;
      }
    }
    res.writeHead(200, { ...headers, 'Content-Length': reply.json.length });
    res.end(reply.json);
  }

  async function sendMedia(res: http.ServerResponse, m: Media): Promise<void> {
    if (m.kind === 'bytes') {
      res.writeHead(200, { 'Content-Type': m.contentType, 'Cache-Control': 'max-age=3600' });
      res.end(m.body);
      return;
    }
    await sendFile(res, m.file, { 'Content-Type': contentTypeFor(m.file), 'Cache-Control': 'max-age=3600' });
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
        streams.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
