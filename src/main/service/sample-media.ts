// The media read model: a sample's image, and the thumbnail sheets of the grid.
import { extname } from 'node:path';
import { ApiError } from '../../shared/api.js';
import { encodeGreyPng, encodeRgbPng } from '../engine/datasets/png.js';
import { pngOf } from '../engine/datasets/photo-sharp.js';
import { readCheckedFile } from '../engine/datasets/regular-file.js';
import { bytesPerImage, DEFAULT_INPUT_LIMITS, type ImageShape } from '../engine/types.js';
import { resolveInsideRoots } from '../security/path-guard.js';
import { indexOf, sampleOf, type OpenProject } from './project-state.js';

export type Media = { kind: 'file'; file: string } | { kind: 'bytes'; contentType: string; body: Buffer };

/** `count` stored images of `shape` stacked top to bottom, as a grey or colour PNG. */
export function encodeStack(pixels: Uint8Array, shape: ImageShape, count: number): Buffer {
  const encode = shape.channels === 3 ? encodeRgbPng : encodeGreyPng;
  return encode(pixels, shape.width, shape.height * count);
}

/** Stored image `i` of the opened dataset (a view). */
function storedAt(p: OpenProject, i: number): Uint8Array {
  const n = bytesPerImage(p.data.shape);
  return p.data.pixels.subarray(i * n, (i + 1) * n);
}

/** What a browser shows as it is; a dataset's other formats (TIFF) are sent as a PNG of the file. */
const SHOWN_AS_IS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp', '.avif']);

/**
 * The image of a sample: its original file (only inside the dataset roots), a PNG of it where
 * a browser cannot show its format, or a PNG of the stored image where there is no file.
 */
export async function sampleMedia(p: OpenProject, id: string): Promise<Media> {
  const { i, sample: s } = sampleOf(p, id);
  if (s.file) {
    const file = resolveInsideRoots(s.file, p.data.roots);
    if (!file) throw new ApiError('not_found', `${s.path} is outside the opened dataset`);
    if (SHOWN_AS_IS.has(extname(file).toLowerCase())) return { kind: 'file', file };
    try {
      const png = await pngOf(
        await readCheckedFile(file, DEFAULT_INPUT_LIMITS.maxFileBytes),
        DEFAULT_INPUT_LIMITS.maxPixels,
      );
      return { kind: 'bytes', contentType: 'image/png', body: Buffer.from(png) };
    } catch (err) {
      throw new ApiError('not_found', `${s.path} cannot be shown: ${(err as Error).message}`);
    }
  }
  return { kind: 'bytes', contentType: 'image/png', body: encodeStack(storedAt(p, i), p.data.shape, 1) };
}

/**
 * Many samples' images in one PNG, stacked top to bottom (../../shared/media.ts), in the
 * stored shape (28 x 28 grey digits, or colour previews that keep the aspect ratio), for the
 * grid's thumbnails. `ids` as parsed by parseSheetIds; an id not in the project is a
 * not_found error naming it.
 */
export function mediaSheet(p: OpenProject, ids: readonly string[]): Media {
  const n = bytesPerImage(p.data.shape);
  const px = new Uint8Array(ids.length * n);
  ids.forEach((id, k) => px.set(storedAt(p, indexOf(p, id)), k * n));
  return { kind: 'bytes', contentType: 'image/png', body: encodeStack(px, p.data.shape, ids.length) };
}
