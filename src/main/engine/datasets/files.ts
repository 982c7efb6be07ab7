import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** Every format a dataset may hold: TensorFlow decodes PNG, JPEG, GIF and BMP, sharp the rest. */
export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.gif', '.webp', '.tif', '.tiff', '.avif']);
/** The extensions as messages list them: "(.png, .jpg, ...)". */
export const IMAGE_EXTENSION_LIST = `(${[...IMAGE_EXTENSIONS].join(', ')})`;
export const IDX_IMAGES_PATTERN = /images[.-]idx3-ubyte(\.gz)?$/i;

export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

/** Dotfiles and folders (.DS_Store, .git, ._resource forks) are never data. */
export function isHidden(name: string): boolean {
  return name.startsWith('.');
}

/** Path as shown and exported: relative to the root, '/'-separated on every platform. */
export function toSamplePath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/**
 * Every image file under `dir`, at any depth, hidden entries skipped. Unsorted. Entries with
 * an image's name that are not regular files (a FIFO, a socket, a device) are listed too, so
 * that the reader refuses them by name instead of passing over them in silence.
 */
export async function walkImages(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walkImages(full)));
    else if (isImageFile(entry.name)) out.push(full);
  }
  return out;
}

/** Whether `dir` holds an image at any depth; stops at the first one found. */
export async function containsImage(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true });
  const subdirs: string[] = [];
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    if (entry.isDirectory()) subdirs.push(join(dir, entry.name));
    else if ((entry.isFile() || entry.isSymbolicLink()) && isImageFile(entry.name)) return true;
  }
  for (const sub of subdirs) if (await containsImage(sub)) return true;
  return false;
}
