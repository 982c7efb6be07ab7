// What a classifier is fed, one row per sample: stored image bytes (the small CNN) or the
// cached rows of an extractor (a head on a backbone's or a user model's features).
import type { ImageShape } from '../types.js';

export type ModelInputs =
  | {
      kind: 'pixels';
      shape: ImageShape;
      /** n * height * width * channels bytes 0..255; the model sees byte / 255. */
      data: Uint8Array;
    }
  | {
      kind: 'features';
      /** Length of one row. */
      dim: number;
      /** n * dim floats, as the extractor gave them. */
      data: Float32Array;
    };

export function rowLength(x: ModelInputs): number {
  return x.kind === 'pixels' ? x.shape.height * x.shape.width * x.shape.channels : x.dim;
}

export function rowCount(x: ModelInputs): number {
  const len = rowLength(x);
  if (len <= 0 || x.data.length % len !== 0)
    throw new Error(`model inputs: ${x.data.length} values is not a whole number of ${len}-value rows`);
  return x.data.length / len;
}

/** The tensor shape of a batch of m rows. */
export function batchShape(x: ModelInputs, m: number): number[] {
  return x.kind === 'pixels' ? [m, x.shape.height, x.shape.width, x.shape.channels] : [m, x.dim];
}
