// Caches keyed by content keep their newest few files: the names carry no dates.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Deletes the files of `dir` ending in `suffix` beyond the newest `count` (by mtime), `keep` always kept. */
export async function pruneOld(dir: string, keep: string, suffix: string, count: number): Promise<void> {
  try {
    const files = (await readdir(dir)).filter((f) => f.endsWith(suffix) && f !== keep);
    const dated = await Promise.all(files.map(async (f) => ({ f, t: (await stat(path.join(dir, f))).mtimeMs })));
    dated.sort((a, b) => b.t - a.t);
    for (const { f } of dated.slice(count - 1)) await rm(path.join(dir, f), { force: true });
  } catch {
    // Housekeeping: a failure leaves a file behind, nothing worse.
  }
}
