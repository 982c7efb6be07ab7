import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXTERNAL_LINKS, isExternalLinkAllowed, type AllowedLink } from '../../src/main/electron/external-links.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('external links (shell.openExternal)', () => {
  const list: AllowedLink[] = [
    { exact: 'https://allowed.example/guide.html' },
    { prefix: 'https://docs.example/unsure/' },
  ];

  test('allows the listed exact URL and URLs under a listed prefix', () => {
    for (const url of [
      'https://allowed.example/guide.html',
      'https://ALLOWED.example/guide.html',
      'https://docs.example/unsure/',
      'https://docs.example/unsure/packaging#fuses',
      'https://docs.example/unsure/a/b?c=d',
    ]) {
      assert.equal(isExternalLinkAllowed(url, list), true, url);
    }
  });

  test('refuses other hosts, schemes, credentials, ports and path tricks', () => {
    for (const url of [
      'https://evil.example/',
      'https://allowed.example/guide.html?x=1',
      'https://allowed.example/other.html',
      'https://allowed.example.evil.example/guide.html',
      'https://allowed.example@evil.example/guide.html',
      'https://user:pw@allowed.example/guide.html',
      'https://allowed.example:8443/guide.html',
      'http://allowed.example/guide.html',
      'javascript:alert(1)//https://allowed.example/guide.html',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'unsure-app://app/index.html',
      'https://docs.example/unsure-evil/',
      'https://docs.example/unsure/../admin',
      'https://docs.example/',
      'https://evil.example/https://docs.example/unsure/',
      '//docs.example/unsure/',
      'not a url',
      '',
    ]) {
      assert.equal(isExternalLinkAllowed(url, list), false, url);
    }
  });

  test('a malformed list entry allows nothing', () => {
    assert.equal(isExternalLinkAllowed('https://a.example/', [{ exact: 'not a url' }]), false);
    assert.equal(isExternalLinkAllowed('http://a.example/', [{ prefix: 'http://a.example/' }]), false);
  });

  test('the shipped list holds exactly the https links the renderer shows', () => {
    const shown = new Set<string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(tsx?|html)$/.test(e.name))
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/https:\/\/[^\s'"`<>)]+/g)) shown.add(m[0]);
      }
    };
    walk(path.join(repo, 'src/renderer'));
    for (const url of shown) assert.equal(isExternalLinkAllowed(url), true, `${url} is shown but not allowed`);
    for (const entry of EXTERNAL_LINKS) {
      const url = 'exact' in entry ? entry.exact : entry.prefix;
      assert.ok(
        [...shown].some((s) => s.startsWith(url)),
        `${url} is allowed but the renderer shows no such link`,
      );
    }
    // Today the renderer shows none, so every link is refused.
    if (shown.size === 0) assert.equal(isExternalLinkAllowed('https://github.com/'), false);
  });
});
