import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  bytesPerImage,
  DatasetError,
  DEFAULT_INPUT_LIMITS,
  DIGIT_SHAPE,
  type ImageShape,
  type InputLimits,
  type LoadedDataset,
  type NativeSize,
  type Sample,
  type SkippedFile,
} from '../types.js';
import type { ModelArch } from '../../../shared/recipe.js';
import { chooseArch } from './choose-arch.js';
import { probeImages, spread } from './photo-probe.js';
import { decodePhoto, tfDecodable, type PhotoTarget } from './photo-sharp.js';
import { PhotoRefusal } from './photo-reasons.js';
import { decodeBatchToGrey28 } from './image-decode.js';
import { resolveInRoot, resolveInRootSync } from './in-root.js';
import { normaliseAll } from './normalise.js';
import { checkRegularFileSync, FileRefusal, readCheckedFileSync } from './regular-file.js';
import { sampleId } from './sample-id.js';
import type { PreviewStore } from './preview-cache.js';

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
  /** The model family: from a probe of the files (default 'auto'), or as given. */
  arch?: ModelArch | 'auto';
  /** Photo previews made by an earlier open: what it holds is read, not decoded. */
  previews?: PreviewStore | null;
}

export interface KeptFile {
  /** Index into the sources. */
  source: number;
  /** What the file adds to its row: the hash of its bytes, its resolved in-root path, its own size. */
  sample: Pick<Sample, 'id' | 'file' | 'size'>;
}

export interface DecodedFiles {
  /** The images kept, ascending by source. */
  kept: KeptFile[];
  /** kept.length stored images of `shape`. */
  pixels: Uint8Array;
  shape: ImageShape;
  family: LoadedDataset['family'];
  /** The refused files, in dataset order. */
  skipped: SkippedFile[];
}

/**
 * What the backbone family stores per image: a colour preview for the grid, the whole image
 * fitted on neutral grey (aspect kept). The backbone's own input is decoded from the file
 * when its rows are extracted (pipeline/extract-rows.ts), never held for the whole dataset.
 */
export const PREVIEW: PhotoTarget = { height: 64, width: 64, channels: 3, resize: 'fit', background: [128, 128, 128] };

const BATCH = 64;
/** Files whose headers decide the family (datasets/choose-arch.ts). */
const PROBE_FILES = 48;
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
  const sizes: (NativeSize | undefined)[] = new Array(total);
  const family = await familyOf(sources, opts, limits);
  const photo = family.arch === 'backbone';
  const shape: ImageShape = photo ? PREVIEW : DIGIT_SHAPE;
  const size = bytesPerImage(shape);
  const all = new Uint8Array(total * size);
  opts.onProgress?.(0, total);
  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(start + BATCH, total);
    // Links and file kinds first: nothing is opened before both checks pass. On this thread
    // (the engine worker or the CLI): see readCheckedFileSync.
    const checked = sources.slice(start, end).map((src, j): (Readable & { size: number }) | null => {
      const index = start + j;
      const r = resolveInRootSync(src.file, opts.realRoot);
      if (!r.ok) {
        reasons.set(index, r.reason);
        return null;
      }
      real[index] = r.real;
      try {
        return { index, real: r.real, size: checkRegularFileSync(r.real, limits.maxFileBytes) };
      } catch (err) {
        reasons.set(index, (err as Error).message);
        return null;
      }
    });
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
    const read = files.map(({ index, real }) => {
      try {
        return { index, name: String(index), bytes: readCheckedFileSync(real, limits.maxFileBytes) };
      } catch (err) {
        reasons.set(index, err instanceof FileRefusal ? err.message : `cannot be read (${(err as Error).message})`);
        return null;
      }
    });
    const readable = read.filter((r) => r !== null);
    for (const r of readable) ids[r.index] = sampleId(r.bytes);
    if (photo) {
      // sharp decodes on libuv's threads: the group's files are all in flight at once.
      await Promise.all(
        readable.map(async (r) => {
          const cached = await opts.previews?.take(ids[r.index]!, all.subarray(r.index * size, (r.index + 1) * size));
          // The same bytes gave this preview; limits lowered since refuse it by decoding again.
          if (cached && cached.width * cached.height <= limits.maxPixels) {
            sizes[r.index] = cached;
            return;
          }
          try {
            const d = await decodePhoto(r.bytes, [PREVIEW], limits.maxPixels);
            all.set(d.outputs[0]!, r.index * size);
            sizes[r.index] = d.native;
          } catch (err) {
            if (!(err instanceof PhotoRefusal)) throw err;
            reasons.set(r.index, err.message);
          }
        }),
      );
      return;
    }
    const decodable = (
      await Promise.all(
        readable.map(async (r) => {
          try {
            return { ...r, bytes: await tfDecodable(r.bytes, limits.maxPixels) };
          } catch (err) {
            if (!(err instanceof PhotoRefusal)) throw err;
            reasons.set(r.index, err.message);
            return null;
          }
        }),
      )
    ).filter((r) => r !== null);
    const out = new Uint8Array(decodable.length * size);
    for (const f of decodeBatchToGrey28(decodable, out, limits.maxPixels)) reasons.set(Number(f.name), f.message);
    decodable.forEach((r, j) => all.set(out.subarray(j * size, (j + 1) * size), r.index * size));
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
    const own = sizes[i];
    kept.push({ source: i, sample: own ? { id, file, size: own } : { id, file } });
  });
  let pixels = all;
  if (kept.length !== total) {
    pixels = new Uint8Array(kept.length * size);
    kept.forEach(({ source }, dst) => pixels.set(all.subarray(source * size, (source + 1) * size), dst * size));
  }
  // The MNIST look is the digits recipe's step only.
  if (!photo) normaliseAll(pixels, { centre: opts.centre });
  return { kept, pixels, shape, family, skipped };
}

/** The family the files take: a probe of a spread of them (each resolved in the root first), or as given. */
async function familyOf(
  sources: readonly ImageSource[],
  opts: DecodeFilesOptions,
  limits: InputLimits,
): Promise<LoadedDataset['family']> {
  const files: { file: string; name: string }[] = [];
  for (const i of spread(sources.length, PROBE_FILES)) {
    const src = sourceAt(sources, i);
    const r = await resolveInRoot(src.file, opts.realRoot);
    // A link out of the root is left out here and refused by name in the main pass.
    if (r.ok) files.push({ file: r.real, name: src.name });
  }
  return chooseArch(await probeImages(files, files.length, limits), opts.arch ?? 'auto');
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
