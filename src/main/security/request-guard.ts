// Browser mode is a local server that can read datasets and write exports, so no web page
// the user happens to visit may drive it. Every request must (1) name this server in Host
// (defeats DNS rebinding: a rebound name arrives with the attacker's Host), (2) if it has an
// Origin, come from this server's own origin (defeats cross-site requests), and (3) carry the
// per-launch secret, as the session cookie or a bearer header. Browsers treat other ports of
// 127.0.0.1 as the same *site* and send the SameSite cookie along, and a no-cors image request
// carries no Origin, so (0) a browser's own Sec-Fetch-Site verdict comes first: anything but
// same-origin (or none: the user typed the URL) is refused. Clients that send no Fetch
// Metadata (curl, Node) go through checks 1-3 as before.
import { timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'unsure_session';

export interface GuardInput {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  cookie: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The Sec-Fetch-Site header, when the client (a browser) sent one. */
  fetchSite?: string | undefined;
  /** The token in the URL's query, accepted only to start a session (GET of a page). */
  queryToken: string | null;
}

export type GuardResult =
  { ok: true; via: 'cookie' | 'header' | 'query' } | { ok: false; status: 400 | 401 | 403 | 415; reason: string };

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function sameSecret(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Sec-Fetch-Site values that may reach the server: its own pages, and the user's own navigation. */
const ALLOWED_FETCH_SITES = new Set(['same-origin', 'none']);

export function checkRequest(req: GuardInput, port: number, token: string): GuardResult {
  const hosts = allowedHosts(port);
  if (req.fetchSite !== undefined && !ALLOWED_FETCH_SITES.has(req.fetchSite.toLowerCase())) {
    return { ok: false, status: 403, reason: `a ${req.fetchSite} request (Sec-Fetch-Site) is refused` };
  }
  if (!req.host || !hosts.includes(req.host.toLowerCase())) {
    return { ok: false, status: 403, reason: `Host ${JSON.stringify(req.host ?? '')} is not this server` };
  }
  if (req.origin !== undefined && !hosts.some((h) => req.origin === `http://${h}`)) {
    return { ok: false, status: 403, reason: `cross-origin request from ${req.origin} refused` };
  }
  if (req.method === 'POST' && !(req.contentType ?? '').startsWith('application/json')) {
    // HTML forms cannot send JSON, so this closes the last form-based CSRF path.
    return { ok: false, status: 415, reason: 'API calls must be application/json' };
  }
  if (sameSecret(parseCookies(req.cookie).get(SESSION_COOKIE), token)) return { ok: true, via: 'cookie' };
  const bearer = req.authorization?.match(/^Bearer (.+)$/)?.[1];
  if (sameSecret(bearer, token)) return { ok: true, via: 'header' };
  if (req.method === 'GET' && sameSecret(req.queryToken, token)) return { ok: true, via: 'query' };
  return {
    ok: false,
    status: 401,
    reason: 'missing or wrong session token: open the URL that `unsure serve` printed',
  };
}
