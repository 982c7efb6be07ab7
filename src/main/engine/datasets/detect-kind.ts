import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { DatasetError } from '../types.js';
import { IDX_IMAGES_PATTERN, IMAGE_EXTENSION_LIST, containsImage, isHidden, isImageFile } from './files.js';

/** Archives people download datasets as (an IDX .gz is matched before this). */
const ARCHIVE = /\.(zip|tar|tgz|tar\.gz|tar\.bz2|tar\.xz|7z|rar)$/i;

export type DetectedDataset =
  { kind: 'folder' | 'images'; root: string } | { kind: 'csv'; manifest: string } | { kind: 'idx'; imagesFile: string };

/**
 * What `path` holds, in this order: a .csv file (a manifest), an IDX images file (or a
 * folder with exactly one), class subfolders of images, images directly in the folder,
 * the only .csv in a folder holding no images.
 */
export async function detectDataset(path: string): Promise<DetectedDataset> {
  const abs = resolve(path);
  let info;
  try {
    info = await stat(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new DatasetError(`Dataset not found: ${abs} does not exist`);
    throw new DatasetError(`Cannot open dataset ${abs}: ${(err as Error).message}`);
  }

  if (info.isFile()) {
    if (extname(abs).toLowerCase() === '.csv') return { kind: 'csv', manifest: abs };
    if (IDX_IMAGES_PATTERN.test(basename(abs))) return { kind: 'idx', imagesFile: abs };
    if (isImageFile(abs)) {
      throw new DatasetError(`${abs} is a single image: open the folder that holds the dataset's images`);
    }
    if (ARCHIVE.test(abs)) {
      // Unsure reads files in place (it never writes into a dataset), so it does not unpack.
      throw new DatasetError(`${abs} is an archive: unpack it, then open the folder it holds`);
    }
    throw new DatasetError(
      `${abs} is not a dataset: expected a folder of images, a CSV manifest (.csv) or an MNIST IDX images file (*-images-idx3-ubyte)`,
    );
  }
  if (!info.isDirectory()) throw new DatasetError(`${abs} is neither a file nor a folder`);

  let entries;
  try {
    entries = (await readdir(abs, { withFileTypes: true })).filter((e) => !isHidden(e.name));
  } catch (err) {
    throw new DatasetError(`Cannot read folder ${abs}: ${(err as Error).message}`);
  }

  const idxFiles = entries.filter((e) => e.isFile() && IDX_IMAGES_PATTERN.test(e.name)).map((e) => e.name);
  const [idxFile] = idxFiles;
  if (idxFile !== undefined && idxFiles.length === 1) return { kind: 'idx', imagesFile: join(abs, idxFile) };
  if (idxFiles.length > 1) {
    throw new DatasetError(
      `Folder ${abs} holds several IDX images files (${idxFiles.sort().join(', ')}): open one of them directly`,
    );
  }

  // Class folders and images come before a manifest beside them: Unsure's own export
  // writes class folders plus a manifest.csv, and reopening it must read the folders.
  for (const entry of entries) {
    if (entry.isDirectory() && (await containsImage(join(abs, entry.name)))) return { kind: 'folder', root: abs };
  }
  if (entries.some((e) => !e.isDirectory() && isImageFile(e.name))) return { kind: 'images', root: abs };

  const csvFiles = entries.filter((e) => e.isFile() && extname(e.name).toLowerCase() === '.csv').map((e) => e.name);
  const [csvFile] = csvFiles;
  if (csvFile !== undefined && csvFiles.length === 1) return { kind: 'csv', manifest: join(abs, csvFile) };
  if (csvFiles.length > 1) {
    throw new DatasetError(
      `Folder ${abs} holds no images but several CSV files (${csvFiles.sort().join(', ')}): open the manifest directly`,
    );
  }
  throw new DatasetError(
    `Folder ${abs} is empty of data: no images ${IMAGE_EXTENSION_LIST}, class subfolders of images, CSV manifest or MNIST IDX file`,
  );
}
