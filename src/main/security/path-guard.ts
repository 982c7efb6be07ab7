import path from 'node:path';
import fs from 'node:fs';

/**
 * Resolves `target` and returns it only if it lies inside one of `roots` (after following
 * symlinks, so a link inside the dataset cannot point outside it). Both the Electron media
 * protocol and the HTTP server serve files through this check, and nothing else.
 */
export function resolveInsideRoots(target: string, roots: readonly string[]): string | null {
  if (!target || target.includes('\0')) return null;
  let real: string;
  try {
    real = fs.realpathSync(path.resolve(target));
  } catch {
    return null;
  }
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = fs.realpathSync(path.resolve(root));
    } catch {
      continue;
    }
    const rel = path.relative(realRoot, real);
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return real;
  }
  return null;
}

/** Joins a URL path onto a static root, refusing traversal out of it. */
export function staticFileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '');
  } catch {
    return null;
  }
  const rel = decoded.replace(/^\/+/, '') || 'index.html';
  return resolveInsideRoots(path.join(root, rel), [root]);
}
