// Image dimensions read from the file header alone, so a decompression bomb (a few hundred
// KB that decode to gigabytes) is refused before any decoder allocates for it. Pure: bytes
// in, size or a plain-words problem out.

export type ImageFormat = 'PNG' | 'JPEG' | 'GIF' | 'BMP';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** The header is missing, cut short or inconsistent; the message says which format. */
export class ImageHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageHeaderError';
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'PNG';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(latin1(bytes, 0, 6))) return 'GIF';
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'BMP';
  return null;
}

/** Width and height from the header; throws ImageHeaderError when they cannot be read. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const format = sniffFormat(bytes);
  if (bytes.length === 0) throw new ImageHeaderError('is an empty file');
  if (format === null) {
    const start = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ImageHeaderError(`is not a PNG, JPEG, GIF or BMP image (it starts with bytes ${start})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = format === 'PNG' ? png(view) : format === 'JPEG' ? jpeg(view) : format === 'GIF' ? gif(view) : bmp(view);
  if (!size || size.width <= 0 || size.height <= 0) {
    throw new ImageHeaderError(`is a truncated or corrupt ${format} (no image size in its header)`);
  }
  return { format, ...size };
}

type Size = { width: number; height: number } | null;

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** IHDR must come first; the chunk chain is walked to IEND so a cut-off file is named as such. */
function png(v: DataView): Size {
  if (v.byteLength < 24 || v.getUint32(12) !== 0x49484452) return null;
  const size = { width: v.getUint32(16), height: v.getUint32(20) };
  let at = 8;
  for (;;) {
    if (at + 8 > v.byteLength) throw new ImageHeaderError('is a truncated or corrupt PNG (it ends before IEND)');
    const length = v.getUint32(at);
    const type = v.getUint32(at + 4);
    at += 12 + length;
    if (at > v.byteLength) throw new ImageHeaderError('is a truncated or corrupt PNG (a chunk runs past the end)');
    if (type === 0x49454e44) return size; // IEND
  }
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic); C4, C8 and CC are not frames. */
export const JPEG_FRAMES: ReadonlySet<number> = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

/** A JPEG marker and where its segment's fields start (after the length field; standalone markers have none). */
export interface JpegSegment {
  marker: number;
  body: number;
}

/**
 * A JPEG's markers in order, fill bytes skipped, up to and including the first start of scan
 * (DA) or end of image (D9); it stops early at a byte that is not a marker or at the end of
 * the bytes. Segments of the header only: the scan's entropy-coded data is never walked.
 */
export function* jpegSegments(v: DataView): Generator<JpegSegment> {
  let at = 2;
  while (at + 4 <= v.byteLength) {
    if (v.getUint8(at) !== 0xff) return;
    const marker = v.getUint8(at + 1);
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      yield { marker, body: at + 2 };
      at += 2; // no length field
      continue;
    }
    yield { marker, body: at + 4 };
    if (marker === 0xd9 || marker === 0xda) return;
    at += 2 + v.getUint16(at + 2);
  }
}

function jpeg(v: DataView): Size {
  for (const { marker, body } of jpegSegments(v)) {
    if (marker === 0xd9 || marker === 0xda) return null; // end or scan data before any frame header
    if (JPEG_FRAMES.has(marker))
      return body + 5 > v.byteLength ? null : { height: v.getUint16(body + 1), width: v.getUint16(body + 3) };
  }
  return null;
}

function gif(v: DataView): Size {
  if (v.byteLength < 10) return null;
  return { width: v.getUint16(6, true), height: v.getUint16(8, true) };
}

function bmp(v: DataView): Size {
  if (v.byteLength < 26) return null;
  const dib = v.getUint32(14, true);
  if (dib === 12) return { width: v.getUint16(18, true), height: v.getUint16(20, true) };
  // Negative height means rows stored top-down.
  return { width: Math.abs(v.getInt32(18, true)), height: Math.abs(v.getInt32(22, true)) };
}

/** Why an image of this size is refused, or null when it is within the limit. */
export function pixelLimitProblem(
  header: Pick<ImageHeader, 'width' | 'height'> & Partial<ImageHeader>,
  maxPixels: number,
): string | null {
  const pixels = header.width * header.height;
  if (pixels <= maxPixels) return null;
  const mp = (n: number) => (n >= 1e6 ? `${Math.round(n / 1e5) / 10}-megapixel` : `${n}-pixel`);
  return `is ${header.width} x ${header.height} pixels, over the ${mp(maxPixels)} limit (refused before decoding)`;
}
