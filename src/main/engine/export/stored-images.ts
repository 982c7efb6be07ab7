// What export needs of the stored images and the original files: samples without a file
// (IDX records, generated samples) are written as PNGs in the stored shape; every original
// file is copied byte for byte, and a file without an extension is named by its content.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../../shared/api.js';
import { sniffFormat, type ImageFormat } from '../datasets/image-header.js';
import { encodeGreyPng, encodeRgbPng } from '../datasets/png.js';
import { bytesPerImage, describeShape, DIGIT_SHAPE, type ImageShape } from '../types.js';

/** The pixels hold n images of `shape`: an export never writes a wrongly cut image. */
export function checkStoredPixels(pixels: Uint8Array, n: number, shape: ImageShape): void {
  const per = bytesPerImage(shape);
  if (pixels.length !== n * per) {
    throw new ApiError(
      'bad_request',
      `export: ${pixels.length} pixel bytes for ${n} samples of ${per} (${describeShape(shape)})`,
    );
  }
}

/** IDX files hold 28 x 28 grey images only: refused, with the reason, for any other shape. */
export function checkIdxShape(shape: ImageShape): void {
  const d = DIGIT_SHAPE;
  if (shape.height !== d.height || shape.width !== d.width || shape.channels !== d.channels) {
    throw new ApiError(
      'bad_request',
      `export: IDX files hold ${describeShape(d)} images, and this project stores ${describeShape(shape)} images; ` +
        'export it as class folders and manifests (open the IDX data on its own to export IDX)',
    );
  }
}

/** Stored image `i` as a PNG (grey or colour, as stored). */
export function encodeStored(pixels: Uint8Array, i: number, shape: ImageShape): Buffer {
  const per = bytesPerImage(shape);
  const img = pixels.subarray(i * per, (i + 1) * per);
  return shape.channels === 3
    ? encodeRgbPng(img, shape.width, shape.height)
    : encodeGreyPng(img, shape.width, shape.height);
}

const EXTENSION: Record<ImageFormat, string> = { PNG: '.png', JPEG: '.jpg', GIF: '.gif', BMP: '.bmp' };

/**
 * The extension an original file is exported with: its own, or for a file without one (a
 * manifest may name such files) the one its first bytes say, else none. Never a re-encode.
 */
export async function copyExtension(file: string): Promise<string> {
  const own = path.extname(file).toLowerCase();
  if (own) return own;
  let head = new Uint8Array(0);
  try {
    const fh = await open(file, 'r');
    try {
      const buf = new Uint8Array(16);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    // An unreadable file fails at the copy, with its name in the message.
  }
  const format = sniffFormat(head);
  return format ? EXTENSION[format] : '';
}
