// The one rule for links: a file is resolved through every symlink and must then lie inside
// the (equally resolved) root. Every dataset reader and every route that serves or copies a
// dataset file asks here, so a link cannot reach the rest of the disk through any of them.
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

export type InRoot = { ok: true; real: string } | { ok: false; reason: string };

/** True when `real` lies strictly below `realRoot` (both already resolved). */
export function isBelow(real: string, realRoot: string): boolean {
  const rel = path.relative(realRoot, real);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function verdict(real: string, realRoot: string): InRoot {
  return isBelow(real, realRoot)
    ? { ok: true, real }
    : { ok: false, reason: `a link that leaves the dataset: -> ${real}` };
}

function missing(err: unknown, file: string): InRoot {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { ok: false, reason: `file not found (${file})` };
  if (code === 'ELOOP') return { ok: false, reason: 'a symlink loop' };
  return { ok: false, reason: `cannot be read (${code ?? (err as Error).message})` };
}

/** Resolves `file` and requires it inside `realRoot` (a path from realRootOf). */
export async function resolveInRoot(file: string, realRoot: string): Promise<InRoot> {
  if (file.includes('\0')) return { ok: false, reason: 'a path with a NUL byte' };
  try {
    return verdict(await realpath(path.resolve(file)), realRoot);
  } catch (err) {
    return missing(err, file);
  }
}

/** The same rule, synchronously (the media routes and the Electron protocol). */
export function resolveInRootSync(file: string, realRoot: string): InRoot {
  if (file.includes('\0')) return { ok: false, reason: 'a path with a NUL byte' };
  try {
    return verdict(realpathSync.native(path.resolve(file)), realRoot);
  } catch (err) {
    return missing(err, file);
  }
}

/** The root itself resolved; null when it does not exist. */
export function realRootOf(root: string): string | null {
  if (root.includes('\0')) return null;
  try {
    return realpathSync.native(path.resolve(root));
  } catch {
    return null;
  }
}
