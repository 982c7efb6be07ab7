import { DatasetError, type LoadedDataset } from '../types.js';
import { itemAt } from '../../../shared/checked-index.js';
import { realRootOf } from './in-root.js';
import { assembleDataset } from './assemble.js';
import { decodeFiles } from './decode-files.js';
import { listFolder } from './list-folder.js';
import type { LoadOptions } from './load-csv.js';

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
  const rows = await listFolder(root, kind);
  const realRoot = realRootOf(root);
  if (realRoot === null) throw new DatasetError(`Folder ${root} cannot be read`);
  const decoded = await decodeFiles(
    rows.map((r) => ({ file: r.file as string, name: r.path })),
    { ...opts, where: root, realRoot },
  );
  // Sample.file is the resolved, in-root path: what the media routes serve and export copies.
  // kept indexes the sources, one per row.
  const kept = decoded.kept.map((k) => ({ ...itemAt(rows, k.source, 'rows'), ...k.sample }));
  const { pixels, skipped, shape, family } = decoded;
  return assembleDataset(kind, root, kept, pixels, { skipped, shape, family });
}
