// Where an export goes, and how it gets there atomically: everything is written into a
// sibling temp folder that is renamed to the destination only when complete, so a crash or
// an error never leaves a half-written export that looks finished.
import { readdir, rename, rm, rmdir, stat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../../shared/api.js';
import { isInside, realPath } from '../project/path-inside.js';

export function tempDirFor(dest: string): string {
  return `${dest}.unsure-tmp-${process.pid}`;
}

/** Refuses a destination that holds anything or lies inside a source dataset. Returns its absolute path. */
export async function checkDestination(dest: string, sourceRoots: readonly string[]): Promise<string> {
  const abs = path.resolve(dest);
  for (const root of sourceRoots) {
    if (root && isInside(abs, root)) {
      throw new ApiError(
        'bad_request',
        `export folder ${abs} is inside the source dataset ${realPath(root)}; datasets are read-only to Unsure. Choose a folder elsewhere.`,
      );
    }
  }
  let info;
  try {
    info = await stat(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return abs;
    throw new ApiError('failed', `export folder ${abs}: ${(err as Error).message}`);
  }
  if (!info.isDirectory()) throw new ApiError('bad_request', `export folder ${abs} exists and is not a folder`);
  const contents = await readdir(abs);
  if (contents.length > 0) {
    throw new ApiError(
      'conflict',
      `export folder ${abs} is not empty (${contents.length} entries); choose a new or empty folder so nothing is overwritten`,
    );
  }
  return abs;
}

/** A fresh temp folder beside dest (a leftover from a crashed export by this pid is cleared). */
export async function makeTempDir(dest: string): Promise<string> {
  const tmp = tempDirFor(dest);
  await mkdir(path.dirname(dest), { recursive: true });
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  return tmp;
}

/** Moves the finished temp folder to dest; an empty dest folder is replaced. */
export async function publish(tmp: string, dest: string): Promise<void> {
  try {
    // rename() cannot replace a directory on Windows; on POSIX it replaces only an empty one.
    await rmdir(dest);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      throw new ApiError('conflict', `export folder ${dest} changed while exporting (${code}); nothing was replaced`);
    }
  }
  await rename(tmp, dest);
}
