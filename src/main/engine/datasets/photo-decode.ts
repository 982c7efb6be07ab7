// The decoding path for colour photos of any size (the digits recipe keeps decode-files.ts):
// each file is read once through the regular-file checks, hashed, and decoded by sharp to
// every target from the same bytes. Several files are in flight at once (sharp works on
// libuv's thread pool, so both cores are busy); only those few files' bytes are held.
import { availableParallelism } from 'node:os';
import { DEFAULT_INPUT_LIMITS, type InputLimits, type NativeSize } from '../types.js';
import { decodePhoto, type PhotoTarget } from './photo-sharp.js';
import { PhotoRefusal } from './photo-reasons.js';
import { FileRefusal, readRegularFile } from './regular-file.js';
import { sampleId } from './sample-id.js';

export { photoTargetOf, type PhotoTarget } from './photo-sharp.js';

export interface PhotoFile {
  /** Absolute path, already resolved in-root (datasets/in-root.ts). */
  file: string;
  /** As the user knows it (relative path, manifest row). */
  name: string;
}

export interface DecodePhotosOptions {
  limits?: Partial<InputLimits>;
  /**
   * Files decoded at once; default the cores, at least 4 (libuv's pool size): small files are
   * bound by each call's latency more than by the cores (bench/photo-decode.ts).
   */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface PhotoFailure {
  /** Index into the files. */
  index: number;
  /** In plain words, without the file's name: "is a truncated or corrupt JPEG (...)". */
  reason: string;
}

export interface DecodedPhotos {
  /** One per target: files.length * height * width * channels bytes in file order; a failed file's slot is zeros. */
  outputs: Uint8Array[];
  /** Each file's own size as displayed (EXIF orientation applied) and channels; null when it failed. */
  native: (NativeSize | null)[];
  /** Each file's sample id (the hash of its bytes, as decode-files.ts), null when it could not be read. */
  ids: (string | null)[];
  /** The files refused, ascending by index; the caller decides skip or strict. */
  failures: PhotoFailure[];
}

export async function decodePhotos(
  files: readonly PhotoFile[],
  targets: readonly PhotoTarget[],
  opts: DecodePhotosOptions = {},
): Promise<DecodedPhotos> {
  const limits = { ...DEFAULT_INPUT_LIMITS, ...opts.limits };
  const total = files.length;
  const sizes = targets.map((t) => t.height * t.width * t.channels);
  const outputs = sizes.map((size) => new Uint8Array(total * size));
  const native: (NativeSize | null)[] = new Array<NativeSize | null>(total).fill(null);
  const ids: (string | null)[] = new Array<string | null>(total).fill(null);
  const failures: PhotoFailure[] = [];
  opts.signal?.throwIfAborted();
  opts.onProgress?.(0, total);

  async function one(index: number, { file }: PhotoFile): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readRegularFile(file, limits.maxFileBytes);
    } catch (err) {
      if (!(err instanceof FileRefusal)) throw err;
      failures.push({ index, reason: err.message });
      return;
    }
    ids[index] = sampleId(bytes);
    try {
      const decoded = await decodePhoto(bytes, targets, limits.maxPixels);
      decoded.outputs.forEach((px, k) => outputs[k]!.set(px, index * sizes[k]!));
      native[index] = decoded.native;
    } catch (err) {
      if (!(err instanceof PhotoRefusal)) throw err;
      failures.push({ index, reason: err.message });
    }
  }

  let next = 0;
  let done = 0;
  const lanes = Math.max(1, Math.min(total, Math.floor(opts.concurrency ?? Math.max(4, availableParallelism()))));
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = next++; i < total; i = next++) {
        opts.signal?.throwIfAborted();
        await one(i, files[i]!);
        opts.onProgress?.(++done, total);
      }
    }),
  );
  failures.sort((a, b) => a.index - b.index);
  return { outputs, native, ids, failures };
}
