import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  DatasetError,
  DEFAULT_INPUT_LIMITS,
  imageAt,
  PIXELS_PER_IMAGE,
  type InputLimits,
  type SkippedFile,
} from '../types.js';
import { decodeBatchToGrey28 } from './image-decode.js';
import { resolveInRoot } from './in-root.js';
import { normaliseAll } from './normalise.js';
import { checkRegularFile, FileRefusal, readRegularFile } from './regular-file.js';
import { sampleId } from './sample-id.js';

export interface ImageSource {
  /** Path of the file as listed (it is resolved through links before reading). */
  file: string;
  /** How messages name it: the relative path, or a manifest row. */
  name: string;
}

export interface DecodeFilesOptions {
  onProgress?: (done: number, total: number) => void;
  /** Shift each image's centre of mass to the middle (default true). */
  centre?: boolean;
  /** Shown in the error that lists bad files. */
  where: string;
  /** The resolved dataset root: every file must resolve to a path below it. */
  realRoot: string;
  limits?: Partial<InputLimits>;
  /** Fail when any file is refused, instead of skipping it. */
  strict?: boolean;
}

export interface DecodedFiles {
  /** Indices into the sources of the images kept, ascending. */
  kept: number[];
  /** Per kept image: its id (hash of its bytes) and its resolved in-root path. */
  ids: string[];
  files: string[];
  /** kept.length * 784 bytes. */
  pixels: Uint8Array;
  /** The refused files, in dataset order. */
  skipped: SkippedFile[];
}

const BATCH = 64;
/** Encoded bytes read at once; one bigger file is read and decoded on its own. */
const BATCH_BYTES = 64 * 1024 * 1024;
const MAX_LISTED = 10;

/** "3 unreadable or corrupt images in X: a: why; b: why (and 1 more)". */
export function describeSkipped(skipped: readonly SkippedFile[], where: string): string {
  const listed = skipped
    .slice(0, MAX_LISTED)
    .map((f) => `${f.path}: ${f.reason}`)
    .join('; ');
  const more = skipped.length > MAX_LISTED ? ` (and ${skipped.length - MAX_LISTED} more)` : '';
  const noun = skipped.length === 1 ? 'image' : 'images';
  return `${skipped.length} unreadable or corrupt ${noun} in ${where}: ${listed}${more}`;
}

/**
 * Resolves, checks, reads, hashes and decodes `sources` a batch at a time. A file that is a
 * link out of the root, not a regular file, over the limits, unreadable or undecodable is
 * skipped and recorded; the load fails only when nothing usable remains, or with `strict`.
 */
export async function decodeFiles(sources: ImageSource[], opts: DecodeFilesOptions): Promise<DecodedFiles> {
  const limits = { ...DEFAULT_INPUT_LIMITS, ...opts.limits };
  const total = sources.length;
  const reasons = new Map<number, string>();
  const real: string[] = new Array(total);
  const ids: string[] = new Array(total);
  const all = new Uint8Array(total * PIXELS_PER_IMAGE);
  opts.onProgress?.(0, total);
  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(start + BATCH, total);
    // Links and file kinds first: nothing is opened before both checks pass.
    const sizes = await Promise.all(
      sources.slice(start, end).map(async (src, j): Promise<number | null> => {
        const i = start + j;
        const r = await resolveInRoot(src.file, opts.realRoot);
        if (!r.ok) {
          reasons.set(i, r.reason);
          return null;
        }
        real[i] = r.real;
        try {
          return await checkRegularFile(r.real, limits.maxFileBytes);
        } catch (err) {
          reasons.set(i, (err as Error).message);
          return null;
        }
      }),
    );
    let group: number[] = [];
    let bytes = 0;
    for (let j = 0; j < sizes.length; j++) {
      const size = sizes[j]!;
      if (size === null) continue;
      if (group.length > 0 && bytes + size > BATCH_BYTES) {
        await decodeGroup(group);
        group = [];
        bytes = 0;
      }
      group.push(start + j);
      bytes += size;
    }
    if (group.length > 0) await decodeGroup(group);
    opts.onProgress?.(end, total);
    // Let IPC, HTTP and progress events through between batches.
    if (end < total) await yieldToEventLoop();
  }

  async function decodeGroup(indices: number[]): Promise<void> {
    const read = await Promise.all(
      indices.map(async (i) => {
        try {
          return await readRegularFile(real[i]!, limits.maxFileBytes);
        } catch (err) {
          reasons.set(i, err instanceof FileRefusal ? err.message : `cannot be read (${(err as Error).message})`);
          return null;
        }
      }),
    );
    const readable: { index: number; name: string; bytes: Uint8Array }[] = [];
    read.forEach((b, j) => {
      if (b === null) return;
      const i = indices[j]!; // read runs parallel to indices
      ids[i] = sampleId(b);
      readable.push({ index: i, name: String(i), bytes: b });
    });
    const out = new Uint8Array(readable.length * PIXELS_PER_IMAGE);
    for (const f of decodeBatchToGrey28(readable, out, limits.maxPixels)) reasons.set(Number(f.name), f.message);
    readable.forEach((r, j) => all.set(imageAt(out, j), r.index * PIXELS_PER_IMAGE));
  }

  const skipped: SkippedFile[] = [...reasons.keys()]
    .sort((a, b) => a - b)
    .map((i) => ({ path: sources[i]!.name, reason: reasons.get(i) as string }));
  if (skipped.length > 0 && opts.strict)
    throw new DatasetError(`${describeSkipped(skipped, opts.where)} (strict mode)`);
  if (skipped.length === total) {
    throw new DatasetError(`No usable image in ${opts.where}: ${describeSkipped(skipped, opts.where)}`);
  }
  const kept: number[] = [];
  for (let i = 0; i < total; i++) if (!reasons.has(i)) kept.push(i);
  let pixels = all;
  if (kept.length !== total) {
    pixels = new Uint8Array(kept.length * PIXELS_PER_IMAGE);
    kept.forEach((src, dst) => pixels.set(imageAt(all, src), dst * PIXELS_PER_IMAGE));
  }
  normaliseAll(pixels, { centre: opts.centre });
  return { kept, ids: kept.map((i) => ids[i]!), files: kept.map((i) => real[i]!), pixels, skipped };
}
