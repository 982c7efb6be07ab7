// Where an export goes, and how it gets there atomically: everything is written into a
// hidden sibling temp folder (`.<dest>.unsure-tmp-<pid>-<rand>`, holding EXPORT_MARKER) that
// replaces the destination only when complete (atomic-dir.ts), so a crash or an error never
// leaves a half-written export that looks finished, and nothing Unsure did not make is removed.
import { ApiError } from '../../../shared/api.js';
import { makeTempSibling, removeIfOurs, swapIntoPlace, type TempDir } from '../project/atomic-dir.js';
import { EXPORT_MARKER, OutputRefused, guardOutput } from '../project/output-guard.js';

/**
 * The API's check of an export folder, run before any work: absolute, outside every source
 * dataset, new or empty or an earlier Unsure export, in a writable folder. Returns it.
 */
export function exportDestination(dest: string, sourceRoots: readonly string[]): string {
  try {
    return guardOutput({
      path: dest,
      kind: 'export',
      datasets: sourceRoots,
      what: 'export folder',
      absoluteOnly: true,
    });
  } catch (err) {
    if (err instanceof OutputRefused) throw new ApiError(err.code, err.message);
    throw err;
  }
}

/** As exportDestination, for callers that already hold an absolute path (returned as is). */
export async function checkDestination(dest: string, sourceRoots: readonly string[]): Promise<string> {
  return exportDestination(dest, sourceRoots);
}

/** A fresh hidden temp folder beside dest; stale ones of dead processes are cleared first. */
export async function makeTempDir(dest: string): Promise<TempDir> {
  return makeTempSibling(dest, EXPORT_MARKER);
}

/** Removes the temp folder only if this process made it. */
export async function discardTempDir(tmp: TempDir): Promise<void> {
  await removeIfOurs(tmp, EXPORT_MARKER);
}

/** Moves the finished temp folder to dest, replacing an empty folder or an earlier export. */
export async function publish(tmp: TempDir, dest: string): Promise<void> {
  // Checked again: the folder may have been filled while the export ran.
  await checkDestination(dest, []);
  await swapIntoPlace(tmp, dest, EXPORT_MARKER, 'export');
}
