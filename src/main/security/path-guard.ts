import path from 'node:path';
import { realRootOf, resolveInRootSync } from '../engine/datasets/in-root.js';

/**
 * Resolves `target` and returns it only if it lies inside one of `roots` (after following
 * symlinks, so a link inside the dataset cannot point outside it). Both the Electron media
 * protocol and the HTTP server serve files through this check, and nothing else; the
 * dataset readers apply the same rule (engine/datasets/in-root.ts) when they load.
 */
export function resolveInsideRoots(target: string, roots: readonly string[]): string | null {
  if (!target || target.includes('\0')) return null;
  for (const root of roots) {
    const realRoot = realRootOf(root);
    if (realRoot === null) continue;
    const r = resolveInRootSync(target, realRoot);
    if (r.ok) return r.real;
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
