// The media read model: a sample's image, and the thumbnail sheets of the grid.
import { ApiError } from '../../shared/api.js';
import { encodeGreyPng } from '../engine/datasets/png.js';
import { IMAGE_SIZE, imageAt, PIXELS_PER_IMAGE } from '../engine/types.js';
import { resolveInsideRoots } from '../security/path-guard.js';
import { indexOf, sampleOf, type OpenProject } from './project-state.js';

export type Media = { kind: 'file'; file: string } | { kind: 'bytes'; contentType: string; body: Buffer };

/** The image of a sample: its original file (only inside the dataset roots) or a PNG. */
export function sampleMedia(p: OpenProject, id: string): Media {
  const { i, sample: s } = sampleOf(p, id);
  if (s.file) {
    const file = resolveInsideRoots(s.file, p.data.roots);
    if (!file) throw new ApiError('not_found', `${s.path} is outside the opened dataset`);
    return { kind: 'file', file };
  }
  const px = imageAt(p.data.pixels, i);
  return { kind: 'bytes', contentType: 'image/png', body: encodeGreyPng(px, IMAGE_SIZE, IMAGE_SIZE) };
}

/**
 * Many samples' images in one PNG, stacked top to bottom (../../shared/media.ts): what the
 * model sees (its 28 x 28 grey input), for the grid's thumbnails. `ids` as parsed by
 * parseSheetIds; an id not in the project is a not_found error naming it.
 */
export function mediaSheet(p: OpenProject, ids: readonly string[]): Media {
  const px = new Uint8Array(ids.length * PIXELS_PER_IMAGE);
  ids.forEach((id, k) => {
    const i = indexOf(p, id);
    px.set(imageAt(p.data.pixels, i), k * PIXELS_PER_IMAGE);
  });
  return { kind: 'bytes', contentType: 'image/png', body: encodeGreyPng(px, IMAGE_SIZE, IMAGE_SIZE * ids.length) };
}
