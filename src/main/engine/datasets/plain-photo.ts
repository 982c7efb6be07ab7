// Whether TensorFlow's own decoders give exactly sharp's pixels for a file: an 8-bit JPEG of
// one or three channels (baseline or progressive Huffman, ending in its EOI marker) with no
// EXIF block, ICC profile or Adobe marker, or an 8-bit grey or RGB PNG or a palette one (ending
// in IEND) with no transparency or ICC profile. Both then run the same libjpeg (accurate IDCT)
// or libpng, and nothing is left for sharp to do: no rotation, colour profile, alpha or CMYK.
// Pure: bytes in.
import { JPEG_FRAMES, jpegSegments, sniffFormat } from './image-header.js';

export interface PlainPhoto {
  format: 'JPEG' | 'PNG';
  width: number;
  height: number;
  /** The file's own channels: 1 for grey, 3 for colour (a palette is colour). */
  channels: 1 | 3;
}

export function plainPhoto(bytes: Uint8Array): PlainPhoto | null {
  const format = sniffFormat(bytes);
  if (format !== 'JPEG' && format !== 'PNG') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = format === 'JPEG' ? plainJpeg(view) : plainPng(view);
  return size && size.width > 0 && size.height > 0 ? { format, ...size } : null;
}

type Size = Omit<PlainPhoto, 'format'> | null;

const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
/** Baseline, extended and progressive Huffman frames; lossless and arithmetic ones go to sharp. */
const HUFFMAN_FRAMES = new Set([0xc0, 0xc1, 0xc2]);

function tag(v: DataView, at: number, text: string): boolean {
  if (at + text.length > v.byteLength) return false;
  for (let i = 0; i < text.length; i++) if (v.getUint8(at + i) !== text.charCodeAt(i)) return false;
  return true;
}

function plainJpeg(v: DataView): Size {
  const n = v.byteLength;
  // A cut-off file is sharp's to refuse in its own words.
  if (n < 4 || v.getUint8(n - 2) !== 0xff || v.getUint8(n - 1) !== 0xd9) return null;
  let size: Size = null;
  for (const { marker, body } of jpegSegments(v)) {
    if (marker === 0xda) return size; // the scan starts: every header segment has been seen
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) return null;
    if ((marker === APP1 && tag(v, body, 'Exif')) || (marker === APP2 && tag(v, body, 'ICC_PROFILE'))) return null;
    if (marker === APP14 || (JPEG_FRAMES.has(marker) && !HUFFMAN_FRAMES.has(marker))) return null;
    if (HUFFMAN_FRAMES.has(marker)) {
      if (size || body + 6 > n || v.getUint8(body) !== 8) return null;
      const components = v.getUint8(body + 5);
      if (components !== 1 && components !== 3) return null;
      size = { height: v.getUint16(body + 1), width: v.getUint16(body + 3), channels: components };
    }
  }
  return null;
}

const IHDR = 0x49484452;
const IDAT = 0x49444154;
const TRNS = 0x74524e53;
const ICCP = 0x69434350;
const IEND = 0x49454e44;
/** Grey, RGB and palette; the alpha colour types go to sharp, which flattens them. */
const COLOUR_CHANNELS: Record<number, 1 | 3> = { 0: 1, 2: 3, 3: 3 };

function plainPng(v: DataView): Size {
  const n = v.byteLength;
  if (n < 45 || v.getUint32(12) !== IHDR || v.getUint32(n - 8) !== IEND) return null;
  const [depth, colour] = [v.getUint8(24), v.getUint8(25)];
  const channels = COLOUR_CHANNELS[colour];
  // A palette's indices may be of 1 to 8 bits; grey and RGB samples of 8 bits only.
  if (channels === undefined || (depth !== 8 && colour !== 3)) return null;
  // The chunks before the image data say whether it has transparency or a colour profile.
  for (let at = 8; at + 8 <= n;) {
    const type = v.getUint32(at + 4);
    if (type === TRNS || type === ICCP) return null;
    if (type === IDAT) return { width: v.getUint32(16), height: v.getUint32(20), channels };
    at += 12 + v.getUint32(at);
  }
  return null;
}
