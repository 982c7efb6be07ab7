// Plain words for why a photo could not be decoded: libvips and TensorFlow speak of buffers,
// headers and status codes; a user needs "a truncated JPEG" or "not an image".
import { errorMessage } from '../../../shared/api-errors.js';
import { sniffFormat } from './image-header.js';

/** A file the photo path refuses; the message is the reason, without the file's name. */
export class PhotoRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhotoRefusal';
  }
}

/** The formats the photo path reads (sharp's own names); SVG and others sharp knows are refused. */
export const PHOTO_FORMATS: Readonly<Record<string, string>> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  gif: 'GIF',
  tiff: 'TIFF',
  heif: 'AVIF/HEIF',
};

export const READABLE = 'PNG, JPEG, WebP, GIF, TIFF, AVIF or BMP';

/** The format named by the file's first bytes, for messages: 'JPEG', 'WebP', ... or 'image'. */
export function formatOf(bytes: Uint8Array): string {
  const known = sniffFormat(bytes);
  if (known) return known;
  const tag = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && tag(0, 4) === 'RIFF' && tag(8, 12) === 'WEBP') return 'WebP';
  if (bytes.length >= 4 && (tag(0, 4) === 'II*\0' || tag(0, 4) === 'MM\0*')) return 'TIFF';
  return 'image';
}

export function notAnImage(bytes: Uint8Array): string {
  const start = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `is not a ${READABLE} image (it starts with bytes ${start})`;
}

/** libvips's first line, without the wrapper words that say nothing ("Input buffer has corrupt header:"). */
function detail(message: string): string {
  const first = (message.split('\n', 1)[0] ?? '').trim();
  return (
    first
      .replace(/^Input (buffer|file) (has corrupt header|contains)\s*:?\s*/i, '')
      .replace(/^(Vips\w+|\w+load(_buffer)?):\s*/i, '')
      .replace(/^Invalid argument:\s*/i, '')
      .trim() || 'cannot be decoded'
  );
}

/** Why sharp (or TensorFlow, for BMP) could not decode `bytes`, in plain words. */
export function decodeReason(err: unknown, bytes: Uint8Array): string {
  if (err instanceof PhotoRefusal) return err.message;
  const message = errorMessage(err);
  if (bytes.length === 0 || /Input Buffer is empty/i.test(message)) return 'is an empty file';
  if (/unsupported image format/i.test(message)) return notAnImage(bytes);
  if (/exceeds pixel limit/i.test(message)) return 'is over the pixel limit (refused by the decoder)';
  const why = /TF_Status/i.test(message) ? 'the decoder could not read it' : detail(message);
  return `is a truncated or corrupt ${formatOf(bytes)} (${why})`;
}
