import type { LoadedDataset } from '../types.js';
import { detectDataset } from './detect-kind.js';
import { loadCsvManifest, type LoadOptions } from './load-csv.js';
import { loadImageFolder } from './load-folder.js';
import { loadIdx } from './load-idx.js';

export { assertTrainable } from './assemble.js';
export type { LoadOptions } from './load-csv.js';

/**
 * Loads a dataset from a class folder, a folder of unlabeled images, a CSV manifest or an
 * MNIST IDX file, detecting which from what `path` holds. Every image comes out as 28x28
 * grey, light ink on dark; bad input is a DatasetError naming the file and the problem.
 */
export async function loadDataset(path: string, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const found = await detectDataset(path);
  switch (found.kind) {
    case 'folder':
    case 'images':
      return loadImageFolder(found.root, found.kind, opts);
    case 'csv':
      return loadCsvManifest(found.manifest, opts);
    case 'idx':
      return loadIdx(found.imagesFile, opts);
  }
}
