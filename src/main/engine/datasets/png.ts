import { deflateSync, inflateSync } from 'node:zlib';

// A minimal PNG writer for 8-bit greyscale and RGB images. It exists so IDX records and generated
// demo samples can be shown and exported as ordinary files without pulling tfjs (and a
// tensor round trip) into the server or the exporter. And a reader for the one kind of PNG a
// digits dataset is mostly made of (decodeGreyPng).

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(chunks: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const bytes of chunks) {
    // i < bytes.length, and a byte indexes the 256-entry table.
    for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeBytes = Buffer.from(type, 'latin1');
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  typeBytes.copy(out, 4);
  out.set(data, 8);
  out.writeUInt32BE(crc32([typeBytes, data]), 8 + data.length);
  return out;
}

/** Encodes `width * height` grey values (row-major, 0..255) as an 8-bit greyscale PNG. */
export function encodeGreyPng(pixels: Uint8Array, width: number, height: number): Buffer {
  return encodePng(pixels, width, height, 1, 'encodeGreyPng');
}

/** Encodes `width * height` RGB triples (row-major, 0..255) as an 8-bit truecolour PNG. */
export function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Buffer {
  return encodePng(rgb, width, height, 3, 'encodeRgbPng');
}

function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3, caller: string): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`${caller}: bad size ${width}x${height}`);
  }
  if (pixels.length !== width * height * channels) {
    const what = channels === 1 ? 'pixels' : 'bytes';
    throw new RangeError(`${caller}: ${pixels.length} ${what} for a ${width}x${height} image`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 1 ? 0 : 2; // colour type: greyscale or truecolour
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  // Each scanline starts with its filter byte; 0 (None) keeps the writer trivial and the
  // images are tiny, so better filters would save next to nothing.
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Chunks that cannot change a grey image's pixels; any other sends the file to the full decoder. */
const INERT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt', 'tIME', 'pHYs']);

/**
 * Decodes an 8-bit greyscale, non-interlaced PNG of exactly `width` x `height` into `out`, in
 * JavaScript: libpng through TensorFlow costs a TensorFlow op (about 0.15 ms) per file on the
 * one thread that sends them, most of a 20,000-file folder's open. False, with `out` in any
 * state, for every other PNG and for anything off (a bad CRC, a short or long image stream, a
 * chunk that could change the pixels, such as tRNS or gAMA): the full decoder then reads it,
 * or refuses it in its own words.
 */
export function decodeGreyPng(bytes: Uint8Array, width: number, height: number, out: Uint8Array): boolean {
  if (out.length !== width * height || bytes.length < 8 + 25 + 12) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== SIGNATURE[i]) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  let pos = 8;
  let ended = false;
  while (!ended) {
    if (pos + 12 > bytes.length) return false;
    const length = view.getUint32(pos);
    const end = pos + 8 + length;
    if (end + 4 > bytes.length) return false;
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    const data = bytes.subarray(pos + 8, end);
    if (pos === 8) {
      if (type !== 'IHDR' || length !== 13) return false;
      const grey8 = data[8] === 8 && data[9] === 0 && data[10] === 0 && data[11] === 0 && data[12] === 0;
      if (!grey8 || view.getUint32(pos + 8) !== width || view.getUint32(pos + 12) !== height) return false;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') ended = true;
    else if (!INERT_CHUNKS.has(type)) return false;
    if (type === 'IHDR' || type === 'IDAT' || type === 'IEND') {
      if (crc32([bytes.subarray(pos + 4, end)]) !== view.getUint32(end)) return false;
    }
    pos = end + 4;
  }
  let raw: Buffer;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat));
  } catch {
    return false;
  }
  if (raw.length !== (width + 1) * height) return false;
  return unfilter(raw, width, height, out);
}

/** Undoes PNG's per-row filters (one byte per pixel); false for an unknown filter type. */
function unfilter(raw: Uint8Array, width: number, height: number, out: Uint8Array): boolean {
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)];
    const src = y * (width + 1) + 1;
    const row = y * width;
    const prev = row - width;
    for (let x = 0; x < width; x++) {
      const left = x > 0 ? out[row + x - 1]! : 0;
      const up = y > 0 ? out[prev + x]! : 0;
      const upLeft = x > 0 && y > 0 ? out[prev + x - 1]! : 0;
      let predictor: number;
      if (filter === 0) predictor = 0;
      else if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      } else return false;
      out[row + x] = (raw[src + x]! + predictor) & 0xff;
    }
  }
  return true;
}
