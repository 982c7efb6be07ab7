// "Is this folder inside that one?", asked about real locations: a symlinked or relative
// spelling of a dataset folder must not let Unsure write into it.
import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The absolute, symlink-free form of p. Components that do not exist yet (a folder about
 * to be created) are resolved through their nearest existing ancestor.
 */
export function realPath(p: string): string {
  const abs = path.resolve(p);
  const tail: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return path.join(realpathSync.native(cur), ...tail);
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      tail.unshift(path.basename(cur));
      cur = parent;
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
