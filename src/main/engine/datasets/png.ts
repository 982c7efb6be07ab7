import { deflateSync } from 'node:zlib';

// A minimal PNG writer for 8-bit greyscale and RGB images. It exists so IDX records and generated
// demo samples can be shown and exported as ordinary files without pulling tfjs (and a
// tensor round trip) into the server or the exporter.

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
