import { readFile } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DatasetError, imageAt, PIXELS_PER_IMAGE } from '../types.js';
import { decodeBatchToGrey28, type DecodeFailure } from './image-decode.js';
import { normaliseAll } from './normalise.js';
import { sampleId } from './sample-id.js';

export interface ImageSource {
  /** Absolute path of the file. */
  file: string;
  /** How error messages name it: the relative path, or a manifest row. */
  name: string;
}

export interface DecodeFilesOptions {
  onProgress?: (done: number, total: number) => void;
  /** Shift each image's centre of mass to the middle (default true). */
  centre?: boolean;
  /** Shown in the error that lists bad files. */
  where: string;
}

const BATCH = 64;
const MAX_LISTED = 10;

/**
 * Reads, hashes and decodes `sources` a batch at a time. Every unreadable or undecodable
 * file is collected first and then reported in one DatasetError, so a user fixes them all
 * in one go instead of one per attempt.
 */
export async function decodeFiles(
  sources: ImageSource[],
  opts: DecodeFilesOptions,
): Promise<{ ids: string[]; pixels: Uint8Array }> {
  const total = sources.length;
  const ids: string[] = new Array(total);
  const pixels = new Uint8Array(total * PIXELS_PER_IMAGE);
  const failures: DecodeFailure[] = [];
  opts.onProgress?.(0, total);
  for (let start = 0; start < total; start += BATCH) {
    const batch = sources.slice(start, start + BATCH);
    const read = await Promise.all(
      batch.map(async (src): Promise<Buffer | DecodeFailure> => {
        try {
          return await readFile(src.file);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const message =
            code === 'ENOENT' ? `file not found (${src.file})` : `cannot be read (${code ?? (err as Error).message})`;
          return { name: src.name, message };
        }
      }),
    );
    const readable: { index: number; name: string; bytes: Uint8Array }[] = [];
    read.forEach((bytes, i) => {
      if (!(bytes instanceof Uint8Array)) {
        failures.push(bytes);
        return;
      }
      ids[start + i] = sampleId(bytes);
      readable.push({ index: start + i, name: batch[i].name, bytes });
    });
    const out = new Uint8Array(readable.length * PIXELS_PER_IMAGE);
    failures.push(...decodeBatchToGrey28(readable, out));
    readable.forEach((r, i) => {
      pixels.set(imageAt(out, i), r.index * PIXELS_PER_IMAGE);
    });
    const done = Math.min(start + BATCH, total);
    opts.onProgress?.(done, total);
    // Let IPC, HTTP and progress events through between batches.
    if (done < total) await yieldToEventLoop();
  }
  if (failures.length > 0) {
    // Name the files in dataset order, whichever step (read or decode) failed on each.
    const order = new Map(sources.map((src, i) => [src.name, i]));
    failures.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
    const listed = failures
      .slice(0, MAX_LISTED)
      .map((f) => `${f.name}: ${f.message}`)
      .join('; ');
    const more = failures.length > MAX_LISTED ? ` (and ${failures.length - MAX_LISTED} more)` : '';
    const noun = failures.length === 1 ? 'image' : 'images';
    throw new DatasetError(`${failures.length} unreadable or corrupt ${noun} in ${opts.where}: ${listed}${more}`);
  }
  normaliseAll(pixels, { centre: opts.centre });
  return { ids, pixels };
}
