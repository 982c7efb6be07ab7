// What a classifier is fed, one row per sample: stored image bytes (the small CNN) or the
// cached rows of an extractor (a head on a backbone's or a user model's features).
import { DIGIT_SHAPE, PIXELS_PER_IMAGE, type ImageShape } from '../types.js';
import { scaleBytes } from './pixel-scale.js';

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
      /** How many leading columns kNN compares (Extractor.knnCols); default all. */
      knnCols?: number;
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

/** A bare byte buffer is the digits recipe's stored pixels (28 x 28 grey). */
export function asInputs(x: Uint8Array | ModelInputs): ModelInputs {
  return x instanceof Uint8Array ? { kind: 'pixels', shape: DIGIT_SHAPE, data: x } : x;
}

/**
 * Row `row` of x into out from out[to], as the model sees it: pixels scaled to 0..1,
 * feature rows as they are. Throws when either side is out of range.
 */
export function copyRow(x: ModelInputs, row: number, out: Float32Array, to: number): void {
  const len = rowLength(x);
  if (x.kind === 'pixels') {
    scaleBytes(x.data, out, row * len, to, len);
    return;
  }
  const from = row * len;
  if (!Number.isInteger(row) || row < 0 || from + len > x.data.length || to + len > out.length)
    throw new RangeError(`model inputs: row ${row} of ${x.data.length / len} into ${to} of ${out.length}`);
  out.set(x.data.subarray(from, from + len), to);
}

/** The stored pixels the small CNN trains on: 28 x 28 grey rows only (model/cnn.ts). */
export function cnnPixels(inputs: Uint8Array | ModelInputs): Uint8Array {
  const x = asInputs(inputs);
  if (x.kind !== 'pixels' || rowLength(x) !== PIXELS_PER_IMAGE || x.shape.channels !== 1)
    throw new Error(
      x.kind === 'pixels'
        ? `the small CNN takes 28 x 28 grey images, not ${x.shape.height} x ${x.shape.width} x ${x.shape.channels}`
        : `the small CNN takes images, not ${x.dim}-value feature rows`,
    );
  return x.data;
}
