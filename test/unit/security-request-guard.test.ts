import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRequest, SESSION_COOKIE, type GuardInput } from '../../src/main/security/request-guard.js';

const PORT = 4321;
const TOKEN = 'secret-token-123';
const base: GuardInput = {
  method: 'GET',
  host: `127.0.0.1:${PORT}`,
  origin: undefined,
  cookie: `${SESSION_COOKIE}=${TOKEN}`,
  authorization: undefined,
  contentType: undefined,
  queryToken: null,
};

describe('browser-mode request guard', () => {
  test('accepts the session cookie from this host', () => {
    assert.deepEqual(checkRequest(base, PORT, TOKEN), { ok: true, via: 'cookie' });
    assert.equal(checkRequest({ ...base, host: `localhost:${PORT}` }, PORT, TOKEN).ok, true);
  });

  test('refuses a foreign Host (DNS rebinding)', () => {
    const r = checkRequest({ ...base, host: `evil.example:${PORT}` }, PORT, TOKEN);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.status, 403);
    assert.equal(checkRequest({ ...base, host: undefined }, PORT, TOKEN).ok, false);
    assert.equal(checkRequest({ ...base, host: `127.0.0.1:${PORT + 1}` }, PORT, TOKEN).ok, false);
  });

  test('refuses a cross-site Origin even with the cookie (CSRF)', () => {
    const r = checkRequest(
      { ...base, method: 'POST', origin: 'https://evil.example', contentType: 'application/json' },
      PORT,
      TOKEN,
    );
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /cross-origin/);
    const same = checkRequest(
      { ...base, method: 'POST', origin: `http://127.0.0.1:${PORT}`, contentType: 'application/json' },
      PORT,
      TOKEN,
    );
    assert.equal(same.ok, true);
  });

  test('refuses form posts (non-JSON bodies)', () => {
    const r = checkRequest({ ...base, method: 'POST', contentType: 'application/x-www-form-urlencoded' }, PORT, TOKEN);
    assert.equal(!r.ok && r.status, 415);
  });

  test('needs the token: cookie, bearer header, or the URL token on a GET', () => {
    const none = { ...base, cookie: undefined };
    assert.equal(checkRequest(none, PORT, TOKEN).ok, false);
    assert.equal(checkRequest({ ...none, cookie: `${SESSION_COOKIE}=wrong` }, PORT, TOKEN).ok, false);
    assert.deepEqual(checkRequest({ ...none, authorization: `Bearer ${TOKEN}` }, PORT, TOKEN), {
      ok: true,
      via: 'header',
    });
    assert.deepEqual(checkRequest({ ...none, queryToken: TOKEN }, PORT, TOKEN), { ok: true, via: 'query' });
    assert.equal(
      checkRequest({ ...none, method: 'POST', contentType: 'application/json', queryToken: TOKEN }, PORT, TOKEN).ok,
      false,
    );
  });

  test('Fetch Metadata: a browser request from another site (or another port: same-site) is refused', () => {
    for (const site of ['same-site', 'cross-site', 'Cross-Site', 'bogus', '']) {
      // With the cookie, a matching Host and no Origin: exactly what a no-cors <img> from
      // another port of 127.0.0.1 sends.
      const r = checkRequest({ ...base, fetchSite: site }, PORT, TOKEN);
      assert.equal(r.ok, false, site);
      assert.equal(!r.ok && r.status, 403, site);
      assert.match(!r.ok ? r.reason : '', /Sec-Fetch-Site/);
    }
    assert.deepEqual(checkRequest({ ...base, fetchSite: 'same-origin' }, PORT, TOKEN), { ok: true, via: 'cookie' });
    assert.deepEqual(checkRequest({ ...base, fetchSite: 'none' }, PORT, TOKEN), { ok: true, via: 'cookie' });
  });

  test('Fetch Metadata does not replace the other checks', () => {
    // same-origin still needs the token and this Host.
    assert.equal(checkRequest({ ...base, cookie: undefined, fetchSite: 'same-origin' }, PORT, TOKEN).ok, false);
    assert.equal(checkRequest({ ...base, host: 'evil.example', fetchSite: 'same-origin' }, PORT, TOKEN).ok, false);
    // Absent (curl, Node): the token, Host and Origin checks decide, as before.
    assert.equal(checkRequest({ ...base, fetchSite: undefined }, PORT, TOKEN).ok, true);
  });
});
