// A folder dataset's files in load order, listed without reading them (TensorFlow-free, so
// `unsure manifest` starts at once).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError, type Sample } from '../types.js';
import { UNLABELED_FOLDER } from './assemble.js';
import { IMAGE_EXTENSION_LIST, isHidden, isImageFile, toSamplePath, walkImages } from './files.js';
import { compareNatural } from './natural-sort.js';

/** The folder's image files as rows (id '' until read), in the order Unsure loads them. */
export async function listFolder(root: string, kind: 'folder' | 'images'): Promise<Sample[]> {
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
  if (listed.length === 0) throw new DatasetError(`Folder ${root} holds no images ${IMAGE_EXTENSION_LIST}`);
  return listed
    .map(({ file, label }) => ({ id: '', path: toSamplePath(root, file), label, file }))
    .sort((a, b) => compareNatural(a.path, b.path));
}
