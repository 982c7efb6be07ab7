// Folders shipped in resources/, found by walking up from this module: the sources run from
// src/main/engine/model, the bundle from out/main, a packaged app from inside app.asar.
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** resources/`rel` holding the file `marker`, or null when no folder up from here has it. */
export function shippedResourceDir(rel: string, marker: string): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'resources', rel);
    if (isFile(path.join(candidate, marker))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/**
 * The path native code must open: Electron reads app.asar for JavaScript, but libtensorflow
 * opens files itself, so it gets the copy electron-builder unpacks beside the archive
 * (asarUnpack in electron-builder.yml).
 */
export function unpackedPath(p: string): string {
  return p.replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked');
}
