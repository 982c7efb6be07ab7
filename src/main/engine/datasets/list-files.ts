// A dataset's files in the order Unsure loads them, one per file (copies included), without
// decoding any image: what `unsure manifest` prints and what a .npy of predictions follows.
// The checks that need no decoding (a link out of the root, not a regular file, over the
// size limit) leave a file out here as the loaders do; a file refused only when decoded
// (corrupt, over the pixel limit) is listed, and rows for it are left out when scoring.
import { DatasetError, DEFAULT_INPUT_LIMITS, type InputLimits } from '../types.js';
import { detectDataset } from './detect-kind.js';
import { resolveInRoot, realRootOf } from './in-root.js';
import { listFolder } from './list-folder.js';
import { readManifestRows } from './manifest-rows.js';
import { checkRegularFile } from './regular-file.js';

export interface ListedFile {
  path: string;
  label: string | null;
}

export async function listDatasetFiles(path: string, limits: Partial<InputLimits> = {}): Promise<ListedFile[]> {
  const found = await detectDataset(path);
  const maxBytes = limits.maxFileBytes ?? DEFAULT_INPUT_LIMITS.maxFileBytes;
  switch (found.kind) {
    case 'folder':
    case 'images':
      return cheaplyChecked(found.root, await listFolder(found.root, found.kind), maxBytes);
    case 'csv': {
      const { root, rows } = await readManifestRows(found.manifest, { limits });
      return cheaplyChecked(root, rows, maxBytes);
    }
    case 'idx': {
      // IDX records are raw pixels: reading them decodes nothing. Every record is a row.
      const { loadIdx } = await import('./load-idx.js');
      const ds = await loadIdx(found.imagesFile, { limits });
      const rows: { at: number; row: ListedFile }[] = [];
      const inGroup = new Set(ds.copies.map((g) => g.sample));
      ds.samples.forEach((s, i) => {
        if (!inGroup.has(i)) rows.push({ at: idxNumber(s.path), row: { path: s.path, label: s.label } });
      });
      for (const g of ds.copies)
        for (const f of g.files) rows.push({ at: idxNumber(f.path), row: { path: f.path, label: f.label } });
      return rows.sort((a, b) => a.at - b.at).map((r) => r.row);
    }
  }
}

function idxNumber(p: string): number {
  return Number(p.slice('idx:'.length));
}

async function cheaplyChecked(
  root: string,
  rows: readonly { path: string; label: string | null; file: string | null }[],
  maxBytes: number,
): Promise<ListedFile[]> {
  const realRoot = realRootOf(root);
  if (realRoot === null) throw new DatasetError(`Dataset folder ${root} cannot be resolved`);
  const ok: boolean[] = [];
  // In batches: a stat per file, without holding 100,000 promises at once.
  for (let start = 0; start < rows.length; start += CHECK_BATCH) {
    const batch = rows.slice(start, start + CHECK_BATCH);
    ok.push(...(await Promise.all(batch.map((r) => passes(r.file, realRoot, maxBytes)))));
  }
  return rows.filter((_, i) => ok[i]).map((r) => ({ path: r.path, label: r.label }));
}

const CHECK_BATCH = 256;

async function passes(file: string | null, realRoot: string, maxBytes: number): Promise<boolean> {
  if (file === null) return true;
  const inRoot = await resolveInRoot(file, realRoot);
  if (!inRoot.ok) return false;
  try {
    await checkRegularFile(inRoot.real, maxBytes);
    return true;
  } catch {
    return false;
  }
}
