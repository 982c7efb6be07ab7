// "Is this folder inside that one?", asked about real locations: a symlinked or relative
// spelling of a dataset folder must not let Unsure write into it.
import { realpathSync } from 'node:fs';
import path from 'node:path';

/** PATH_MAX on Linux: no real file has a longer path, so a longer one is refused up front. */
export const MAX_PATH_BYTES = 4096;

/**
 * The absolute, symlink-free form of p. Components that do not exist yet (a folder about
 * to be created) are resolved through their nearest existing ancestor. Linear in p's
 * length: the ancestors are cut from one string, never rebuilt component by component.
 */
export function realPath(p: string): string {
  if (Buffer.byteLength(p) > MAX_PATH_BYTES) {
    throw new Error(
      `a path of ${Buffer.byteLength(p)} bytes is longer than the ${MAX_PATH_BYTES}-byte limit (PATH_MAX)`,
    );
  }
  const abs = path.resolve(p);
  let end = abs.length;
  for (;;) {
    const cur = abs.slice(0, end) || path.parse(abs).root;
    try {
      const real = realpathSync.native(cur);
      return end >= abs.length ? real : path.join(real, abs.slice(end));
    } catch {
      const cut = abs.lastIndexOf(path.sep, end - 1);
      if (cut <= 0 || cur === path.parse(abs).root) return abs;
      end = cut;
    }
  }
}

/** True when child is parent itself or lies anywhere below it. */
export function isInside(child: string, parent: string): boolean {
  const c = realPath(child);
  const p = realPath(parent);
  const caseless = process.platform === 'win32' || process.platform === 'darwin';
  const rel = path.relative(caseless ? p.toLowerCase() : p, caseless ? c.toLowerCase() : c);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}
