// Which links may leave the app for the user's browser (shell.openExternal). Only links the
// app itself shows are allowed, listed here one by one; a page that somehow ran script in the
// renderer could otherwise hand the OS any URL (another host, a file:, a custom handler).
// The renderer shows no external link today, so the list is empty and every request is
// refused; test/unit/security-electron-links.test.ts keeps this list and the renderer's
// https:// links in step.

/** An allowed link: one exact URL, or every URL under a path prefix of one https origin. */
export type AllowedLink = { exact: string } | { prefix: string };

export const EXTERNAL_LINKS: readonly AllowedLink[] = [];

/**
 * True only for an https URL with no credentials and no explicit port that equals an `exact`
 * entry or lies under a `prefix` entry (same origin, path under the prefix's path). Both
 * sides are compared after URL parsing, so `https://allowed.example@evil.example/`,
 * `https://allowed.example.evil.example/` and `/../` tricks resolve to what a browser opens.
 */
export function isExternalLinkAllowed(url: string, allowed: readonly AllowedLink[] = EXTERNAL_LINKS): boolean {
  const u = parseHttps(url);
  if (!u) return false;
  return allowed.some((entry) => {
    if ('exact' in entry) {
      const e = parseHttps(entry.exact);
      return e !== null && e.href === u.href;
    }
    const p = parseHttps(entry.prefix);
    if (!p || p.origin !== u.origin) return false;
    // A prefix is a path boundary: /docs/ allows /docs/x, never /docs-evil.
    const base = p.pathname.endsWith('/') ? p.pathname : `${p.pathname}/`;
    return u.pathname === p.pathname || u.pathname.startsWith(base);
  });
}

function parseHttps(url: string): URL | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return null;
  return u;
}
