import type { PreviewStore } from './preview-cache.js';
import { DatasetError, type InputLimits, type LoadedDataset } from '../types.js';
import type { ModelArch } from '../../../shared/recipe.js';
import { assembleDataset } from './assemble.js';
import { decodeFiles } from './decode-files.js';
import { itemAt } from '../../../shared/checked-index.js';
import { realRootOf } from './in-root.js';
import { readManifestRows } from './manifest-rows.js';

export interface LoadOptions {
  onProgress?: (done: number, total: number) => void;
  /** Shift each image's centre of mass to the middle, as MNIST does (default true). */
  centre?: boolean;
  /** Per-file limits (default DEFAULT_INPUT_LIMITS). */
  limits?: Partial<InputLimits>;
  /** Fail on the first refused file instead of skipping it (default false). */
  strict?: boolean;
  /** The model family (datasets/choose-arch.ts): 'auto' (default) probes the files. */
  arch?: ModelArch | 'auto';
  /**
   * Where to put the pixels when a loader reads them as they are (28x28 IDX records): lets
   * the caller read them straight into its own buffer. Other loaders ignore it.
   */
  allocatePixels?: (bytes: number) => Uint8Array;
  /** Photo previews made by an earlier open (preview-cache.ts). */
  previews?: PreviewStore | null;
}

/**
 * A manifest: header `path,label` (any order, any case), one row per image, paths relative
 * to the manifest's folder; an empty label is an unlabeled row. Columns after these are
 * ignored (Unsure's own export adds audit columns such as id and decision), except when
 * there is no `label` column: then another column is most likely a misnamed label, and it is
 * reported rather than silently giving an unlabeled pool. A header of `path` alone is an
 * unlabeled pool. Paths may not leave the manifest's folder: the dataset root is what gets
 * exported, and a manifest must not reach into the rest of the disk.
 */
export async function loadCsvManifest(manifest: string, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const { root, rows, sources } = await readManifestRows(manifest, opts);
  const realRoot = realRootOf(root);
  if (realRoot === null) throw new DatasetError(`Cannot read manifest ${manifest}: its folder cannot be resolved`);
  const decoded = await decodeFiles(sources, { ...opts, where: manifest, realRoot });
  // Sample.file is the resolved, in-root path: what the media routes serve and export copies.
  // kept indexes the sources, one per row.
  const kept = decoded.kept.map((k) => ({ ...itemAt(rows, k.source, 'rows'), ...k.sample }));
  const { pixels, skipped, shape, family } = decoded;
  return assembleDataset('csv', root, kept, pixels, { skipped, shape, family });
}
