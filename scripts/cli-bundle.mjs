// The CLI as one esbuild bundle (out/cli/), so `unsure score` starts without tsx compiling
// and loading some 200 TypeScript modules through its loader thread: about 0.9 s of issue
// 10's 23 s timed job (docs/cli-bundle.md). bin/unsure.mjs runs it only while it is newer
// than every source file, so an edited checkout never runs stale code.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** Commands that run the engine in this process; serve starts a worker from the sources. */
export const BUNDLED_COMMANDS = new Set(['score', 'train', 'manifest']);
/** What the bundle is built from: a change to any file here makes it stale. */
const SOURCE_DIRS = ['src/main', 'src/shared'];

export const bundleEntry = (root) => path.join(root, 'out', 'cli', 'cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The bundle's entry when `command` runs from it and it is newer than every source; else null. */
export function freshBundle(root, command) {
  if (!BUNDLED_COMMANDS.has(command) || process.env.UNSURE_FROM_SOURCE === '1') return null;
  const entry = bundleEntry(root);
  if (!existsSync(entry)) return null;
  const built = statSync(entry).mtimeMs;
  return SOURCE_DIRS.every((d) => newestSource(path.join(root, d)) < built) ? entry : null;
}

/**
 * Builds out/cli/ (or `out`, which must lie in the checkout for its packages to resolve)
 * through a temporary folder renamed into place: never half a bundle.
 */
export async function buildCliBundle(root, out = path.dirname(bundleEntry(root))) {
  const { build } = await import('esbuild');
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(path.dirname(out), { recursive: true });
  try {
    await build({
      entryPoints: [path.join(root, 'src/main/cli.ts')],
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return path.join(out, 'cli.js');
}
