import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from '../types.js';

// Reader for the IDX format MNIST ships in (http://yann.lecun.com/exdb/mnist/): a 4-byte
// magic (0, 0, element type, number of dimensions), one big-endian uint32 per dimension,
// then the raw elements. Only unsigned bytes (type 0x08) are supported, as in MNIST,
// Fashion-MNIST and EMNIST. Gzipped files (.gz, as downloaded) are accepted too.

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count * rows * cols bytes, a view into the file's bytes (no copy). */
  pixels: Uint8Array;
}

const MAX_IDX_BYTES = 1024 * 1024 * 1024;

function readMaybeGzipped(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new DatasetError(`Cannot read IDX file ${file}: ${(err as Error).message}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // Bounded: a small .gz must not inflate without end (EMNIST, the largest, is 0.7 GB).
      return gunzipSync(bytes, { maxOutputLength: MAX_IDX_BYTES });
    } catch (err) {
      throw new DatasetError(`IDX file ${file} looks gzipped but does not decompress: ${(err as Error).message}`);
    }
  }
  return bytes;
}

/** @param total the file's length (default: bytes holds the whole file). */
function readHeader(file: string, bytes: Buffer, dims: number, total = bytes.length): number[] {
  const expected = `00 00 08 0${dims}`;
  if (total < 4 + 4 * dims || bytes.length < 4 + 4 * dims) {
    throw new DatasetError(`IDX file ${file} is too short for its header (${total} bytes)`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08 || bytes[3] !== dims) {
    const got = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DatasetError(
      `IDX file ${file} has magic ${got}, expected ${expected} (unsigned bytes, ${dims} dimensions)`,
    );
  }
  const sizes: number[] = [];
  for (let d = 0; d < dims; d++) sizes.push(bytes.readUInt32BE(4 + 4 * d));
  const body = sizes.reduce((a, b) => a * b, 1);
  if (total !== 4 + 4 * dims + body) {
    throw new DatasetError(
      `IDX file ${file} is truncated or padded: header says ${sizes.join('x')} = ${body} bytes of data, file holds ${total - 4 - 4 * dims}`,
    );
  }
  return sizes;
}

/**
 * Where the caller wants the images' bytes: a buffer of count * rows * cols bytes, or null
 * for a view into the file's bytes as usual.
 */
export type IdxPixelTarget = (count: number, rows: number, cols: number) => Uint8Array | null;

export function readIdxImages(file: string, into?: IdxPixelTarget): IdxImages {
  if (into) {
    const direct = readIdxImagesInto(file, into);
    if (direct) return direct;
  }
  const bytes = readMaybeGzipped(file);
  // readHeader returns exactly the 3 sizes asked for (or throws).
  const [count, rows, cols] = readHeader(file, bytes, 3) as [number, number, number];
  if (rows === 0 || cols === 0) throw new DatasetError(`IDX file ${file} holds images of size ${rows}x${cols}`);
  // A plain Uint8Array view: Buffer's slice() shares memory, which callers would not expect.
  return { count, rows, cols, pixels: new Uint8Array(bytes.buffer, bytes.byteOffset + 16, count * rows * cols) };
}

/**
 * The header first, then the body straight into the caller's buffer: no file-sized copy
 * beside it (a 500,000-image pool is 392 MB). Null when the file is gzipped or the caller
 * wants no buffer for these sizes: the caller reads it as usual.
 */
function readIdxImagesInto(file: string, into: IdxPixelTarget): IdxImages | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new DatasetError(`Cannot read IDX file ${file}: ${(err as Error).message}`);
  }
  try {
    const total = fstatSync(fd).size;
    const head = Buffer.alloc(16);
    const got = readSync(fd, head, 0, 16, 0);
    if (got >= 2 && head[0] === 0x1f && head[1] === 0x8b) return null;
    const [count, rows, cols] = readHeader(file, head.subarray(0, got), 3, total) as [number, number, number];
    if (rows === 0 || cols === 0) throw new DatasetError(`IDX file ${file} holds images of size ${rows}x${cols}`);
    const pixels = into(count, rows, cols);
    if (!pixels) return null;
    if (pixels.length !== count * rows * cols)
      throw new RangeError(`readIdxImages: a ${pixels.length}-byte buffer for ${count * rows * cols} bytes`);
    for (let off = 0; off < pixels.length;) {
      const n = readSync(fd, pixels, off, Math.min(pixels.length - off, 1 << 26), 16 + off);
      if (n === 0) throw new DatasetError(`IDX file ${file} ended early while it was read`);
      off += n;
    }
    return { count, rows, cols, pixels };
  } catch (err) {
    if (err instanceof DatasetError || err instanceof RangeError) throw err;
    throw new DatasetError(`Cannot read IDX file ${file}: ${(err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

export function readIdxLabels(file: string): Uint8Array {
  const bytes = readMaybeGzipped(file);
  const [count] = readHeader(file, bytes, 1);
  return new Uint8Array(bytes.buffer, bytes.byteOffset + 8, count);
}

/** The inverse of readIdxImages, for exporters that write IDX back. */
export function encodeIdxImages(pixels: Uint8Array, count: number, rows: number, cols: number): Buffer {
  if (pixels.length !== count * rows * cols) {
    throw new RangeError(`encodeIdxImages: ${pixels.length} bytes for ${count} images of ${rows}x${cols}`);
  }
  const out = Buffer.alloc(16 + pixels.length);
  out.writeUInt32BE(0x00000803, 0);
  out.writeUInt32BE(count, 4);
  out.writeUInt32BE(rows, 8);
  out.writeUInt32BE(cols, 12);
  out.set(pixels, 16);
  return out;
}

export function encodeIdxLabels(labels: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + labels.length);
  out.writeUInt32BE(0x00000801, 0);
  out.writeUInt32BE(labels.length, 4);
  out.set(labels, 8);
  return out;
}
