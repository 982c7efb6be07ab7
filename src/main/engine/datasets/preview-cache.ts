// The photos' previews (decode-files.ts PREVIEW), kept in the project folder so that a second
// open decodes no photo it has decoded before: one file per preview recipe, previews keyed by
// sample id (content hash), so renamed or re-ordered files still hit. A preview is read at
// its offset when asked for, never the file whole: at 100,000 photos it is 1.2 GB, as large
// as the pixel buffer it fills.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { writePartsAtomic } from '../project/atomic-write.js';
import { headerParts, readFully, readHeader } from '../project/header-file.js';
import { bytesPerImage, type ImageShape, type NativeSize, type Sample } from '../types.js';

const MAGIC = 'unsure-previews-1';

interface Header {
  magic: string;
  /** The recipe and the decoder that made the previews: another of either is another file. */
  key: string;
  bytes: number;
  ids: string[];
  /** Each file's own width, height and channels. */
  sizes: [number, number, number][];
}

/** Previews made before, by sample id. */
export interface PreviewStore {
  /** Reads the preview of `id` into `into` and gives its file's own size; null when it is not kept or cannot be read. */
  take(id: string, into: Uint8Array): Promise<NativeSize | null>;
  /** Whether every one of these ids is kept (nothing new to save). */
  covers(ids: readonly string[]): boolean;
  close(): Promise<void>;
}

function keyOf(shape: ImageShape): string {
  // upscale: images smaller than the preview are scaled up by TensorFlow (photo-upscale.ts).
  return JSON.stringify({ shape, vips: sharp.versions.vips, sharp: sharp.versions.sharp, upscale: 'tf-linear' });
}

export function previewCacheFile(projectDir: string): string {
  return path.join(projectDir, 'previews', 'photos.previews');
}

/** The project's previews for this shape, or null when there are none or they are unreadable or of another recipe. */
export async function openPreviewStore(projectDir: string, shape: ImageShape): Promise<PreviewStore | null> {
  let fh: FileHandle;
  try {
    fh = await open(previewCacheFile(projectDir), 'r');
  } catch {
    return null;
  }
  try {
    const { header, bodyOffset, size } = await readHeader(fh);
    const h = header as Header;
    const bytes = bytesPerImage(shape);
    if (h.magic !== MAGIC || h.key !== keyOf(shape) || h.bytes !== bytes)
      throw new Error('preview cache: another recipe');
    if (h.sizes.length !== h.ids.length || size !== bodyOffset + h.ids.length * bytes)
      throw new Error('preview cache: sizes do not add up');
    const slot = new Map(h.ids.map((id, i) => [id, i]));
    return {
      async take(id, into) {
        const i = slot.get(id);
        if (i === undefined || into.length !== bytes) return null;
        try {
          await readFully(fh, into, bodyOffset + i * bytes);
        } catch {
          return null;
        }
        const [width, height, channels] = h.sizes[i]!; // i < ids.length = sizes.length (checked above)
        return width > 0 ? { width, height, channels } : null;
      },
      covers: (ids) => ids.every((id) => slot.has(id)),
      close: () => fh.close(),
    };
  } catch {
    await fh.close();
    return null;
  }
}

/** Keeps the previews of these samples (`pixels` holds one of `shape` per sample, in order). */
export async function savePreviewCache(
  projectDir: string,
  shape: ImageShape,
  samples: readonly Pick<Sample, 'id' | 'size'>[],
  pixels: Uint8Array,
): Promise<void> {
  const bytes = bytesPerImage(shape);
  if (pixels.length !== samples.length * bytes)
    throw new Error(`savePreviewCache: ${pixels.length} bytes for ${samples.length} previews of ${bytes}`);
  const header: Header = {
    magic: MAGIC,
    key: keyOf(shape),
    bytes,
    ids: samples.map((s) => s.id),
    sizes: samples.map((s) => (s.size ? [s.size.width, s.size.height, s.size.channels] : [0, 0, 0])),
  };
  const file = previewCacheFile(projectDir);
  await mkdir(path.dirname(file), { recursive: true });
  await writePartsAtomic(file, [...headerParts(header), pixels]);
}
