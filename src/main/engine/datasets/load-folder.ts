import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError, type LoadedDataset, type Sample } from '../types.js';
import { itemAt } from '../../../shared/checked-index.js';
import { realRootOf } from './in-root.js';
import { UNLABELED_FOLDER, assembleDataset } from './assemble.js';
import { decodeFiles } from './decode-files.js';
import { isHidden, isImageFile, toSamplePath, walkImages } from './files.js';
import type { LoadOptions } from './load-csv.js';
import { compareNatural } from './natural-sort.js';

/**
 * `root/<label>/**\/*.png|jpg|jpeg`: each subfolder is a class (its images at any depth),
 * `root/other/` is the "other" class, and images directly in `root` or in `root/unlabeled/`
 * are unlabeled. With `kind: 'images'` the root holds only images, all unlabeled.
 */
export async function loadImageFolder(
  root: string,
  kind: 'folder' | 'images',
  opts: LoadOptions = {},
): Promise<LoadedDataset> {
  const entries = await readdir(root, { withFileTypes: true });
  const listed: { file: string; label: string | null }[] = [];
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    const full = join(root, entry.name);
    if (entry.isDirectory()) {
      if (kind === 'images') continue;
      const label = entry.name === UNLABELED_FOLDER ? null : entry.name;
      for (const file of await walkImages(full)) listed.push({ file, label });
    } else if (isImageFile(entry.name)) {
      listed.push({ file: full, label: null });
    }
  }
  if (listed.length === 0) throw new DatasetError(`Folder ${root} holds no images (.png, .jpg, .jpeg)`);

  const rows: Sample[] = listed
    .map(({ file, label }) => ({ id: '', path: toSamplePath(root, file), label, file }))
    .sort((a, b) => compareNatural(a.path, b.path));
  const realRoot = realRootOf(root);
  if (realRoot === null) throw new DatasetError(`Folder ${root} cannot be read`);
  const decoded = await decodeFiles(
    rows.map((r) => ({ file: r.file as string, name: r.path })),
    { ...opts, where: root, realRoot },
  );
  // Sample.file is the resolved, in-root path: what the media routes serve and export copies.
  // kept indexes the sources, one per row.
  const kept = decoded.kept.map((k) => ({ ...itemAt(rows, k.source, 'rows'), id: k.id, file: k.file }));
  return assembleDataset(kind, root, kept, decoded.pixels, { skipped: decoded.skipped });
}
