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

export interface KeptFile {
  /** Index into the sources. */
  source: number;
  /** Hash of its bytes. */
  id: string;
  /** Its resolved in-root path. */
  file: string;
}

export interface DecodedFiles {
  /** The images kept, ascending by source. */
  kept: KeptFile[];
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
    const checked = await Promise.all(
      sources.slice(start, end).map(async (src, j): Promise<(Readable & { size: number }) | null> => {
        const index = start + j;
        const r = await resolveInRoot(src.file, opts.realRoot);
        if (!r.ok) {
          reasons.set(index, r.reason);
          return null;
        }
        real[index] = r.real;
        try {
          return { index, real: r.real, size: await checkRegularFile(r.real, limits.maxFileBytes) };
        } catch (err) {
          reasons.set(index, (err as Error).message);
          return null;
        }
      }),
    );
    let group: Readable[] = [];
    let bytes = 0;
    for (const f of checked) {
      if (f === null) continue;
      if (group.length > 0 && bytes + f.size > BATCH_BYTES) {
        await decodeGroup(group);
        group = [];
        bytes = 0;
      }
      group.push(f);
      bytes += f.size;
    }
    if (group.length > 0) await decodeGroup(group);
    opts.onProgress?.(end, total);
    // Let IPC, HTTP and progress events through between batches.
    if (end < total) await yieldToEventLoop();
  }

  async function decodeGroup(files: Readable[]): Promise<void> {
    const read = await Promise.all(
      files.map(async ({ index, real }) => {
        try {
          const bytes = await readRegularFile(real, limits.maxFileBytes);
          return { index, name: String(index), bytes };
        } catch (err) {
          reasons.set(index, err instanceof FileRefusal ? err.message : `cannot be read (${(err as Error).message})`);
          return null;
        }
      }),
    );
    const readable = read.filter((r) => r !== null);
    for (const r of readable) ids[r.index] = sampleId(r.bytes);
    const out = new Uint8Array(readable.length * PIXELS_PER_IMAGE);
    for (const f of decodeBatchToGrey28(readable, out, limits.maxPixels)) reasons.set(Number(f.name), f.message);
    readable.forEach((r, j) => all.set(imageAt(out, j), r.index * PIXELS_PER_IMAGE));
  }

  const skipped: SkippedFile[] = [...reasons.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, reason]) => ({ path: sourceAt(sources, i).name, reason }));
  if (skipped.length > 0 && opts.strict)
    throw new DatasetError(`${describeSkipped(skipped, opts.where)} (strict mode)`);
  if (skipped.length === total) {
    throw new DatasetError(`No usable image in ${opts.where}: ${describeSkipped(skipped, opts.where)}`);
  }
  const kept: KeptFile[] = [];
  sources.forEach((src, i) => {
    if (reasons.has(i)) return;
    const id = ids[i];
    const file = real[i];
    // Every source is either refused (a reason) or resolved and read (an id and a path).
    if (id === undefined || file === undefined)
      throw new Error(`decodeFiles: ${src.name} was neither read nor refused`);
    kept.push({ source: i, id, file });
  });
  let pixels = all;
  if (kept.length !== total) {
    pixels = new Uint8Array(kept.length * PIXELS_PER_IMAGE);
    kept.forEach(({ source }, dst) => pixels.set(imageAt(all, source), dst * PIXELS_PER_IMAGE));
  }
  normaliseAll(pixels, { centre: opts.centre });
  return { kept, pixels, skipped };
}

/** A file that passed the link and kind checks: its source index and resolved path. */
interface Readable {
  index: number;
  real: string;
}

function sourceAt(sources: readonly ImageSource[], i: number): ImageSource {
  const s = sources[i];
  if (s === undefined) throw new Error(`decodeFiles: no source ${i} of ${sources.length}`);
  return s;
}
