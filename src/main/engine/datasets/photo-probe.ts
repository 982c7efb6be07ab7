// A look at a spread of a dataset's files before anything is decoded: their sizes from the
// headers (sharp's metadata, or the BMP header), and for small files a decode of the few
// pixels to see whether they are grey in fact and drawn on a plain background. Feeds
// chooseArch (choose-arch.ts).
import sharp, { type Metadata, type Sharp } from 'sharp';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../types.js';
import { CNN_MAX_SIDE, type ImageProbe, type ProbedImage } from './choose-arch.js';
import { ImageHeaderError, pixelLimitProblem, readImageHeader, sniffFormat } from './image-header.js';
import { decodeBmp } from './photo-bmp.js';
import type { PhotoFile } from './photo-decode.js';
import { decodeReason, notAnImage, PHOTO_FORMATS, PhotoRefusal } from './photo-reasons.js';
import { FileRefusal, readRegularFile } from './regular-file.js';

/** Enough for the header of nearly every file; a longer one (a big EXIF block, TIFF) is read whole. */
const HEAD_BYTES = 64 * 1024;
/** A channel difference JPEG rounding can leave in a grey image. */
const GREY_TOLERANCE = 4;

/** `max` indices spread evenly over `n` (all of them when n <= max), ascending. */
export function spread(n: number, max: number): number[] {
  const m = Math.min(n, Math.max(0, Math.floor(max)));
  return Array.from({ length: m }, (_, k) => Math.floor(((k + 0.5) * n) / m));
}

export async function probeImages(
  files: readonly PhotoFile[],
  max = 48,
  limits: Partial<InputLimits> = {},
): Promise<ImageProbe> {
  const { maxFileBytes, maxPixels } = { ...DEFAULT_INPUT_LIMITS, ...limits };
  const probe: ImageProbe = { images: [], failures: [] };
  for (const index of spread(files.length, max)) {
    try {
      probe.images.push(await probeOne(index, files[index]!.file, maxFileBytes, maxPixels));
    } catch (err) {
      if (!(err instanceof FileRefusal) && !(err instanceof PhotoRefusal)) throw err;
      probe.failures.push({ index, reason: err.message });
    }
  }
  return probe;
}

async function probeOne(index: number, file: string, maxFileBytes: number, maxPixels: number): Promise<ProbedImage> {
  let bytes = await readRegularFile(file, maxFileBytes, HEAD_BYTES);
  const whole = async () => {
    if (bytes.length === HEAD_BYTES) bytes = await readRegularFile(file, maxFileBytes);
    return bytes;
  };
  if (sniffFormat(bytes) === 'BMP') return probeBmp(index, bytes, whole, maxPixels);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    // The header did not fit in the first bytes (or the file is bad): the whole file says which.
    const all = await whole();
    try {
      meta = await sharp(all, { limitInputPixels: false }).metadata();
    } catch (err) {
      throw new PhotoRefusal(decodeReason(err, all));
    }
  }
  if (!meta.format || !(meta.format in PHOTO_FORMATS)) throw new PhotoRefusal(notAnImage(bytes));
  const { width, height } = meta.autoOrient;
  // A file the main pass will refuse says nothing about the dataset.
  const tooBig = pixelLimitProblem({ width, height }, maxPixels);
  if (tooBig) throw new PhotoRefusal(tooBig);
  const image: ProbedImage = { index, width, height, channels: meta.channels, grey: null, plain: null };
  if (meta.channels <= 2) image.grey = true;
  if (Math.max(width, height) <= CNN_MAX_SIDE) {
    const all = await whole();
    Object.assign(
      image,
      await lookAt(() => sharp(all, { failOn: 'truncated', limitInputPixels: maxPixels, pages: 1 }), all),
    );
  }
  return image;
}

async function probeBmp(
  index: number,
  head: Buffer,
  whole: () => Promise<Buffer>,
  maxPixels: number,
): Promise<ProbedImage> {
  let width: number;
  let height: number;
  try {
    ({ width, height } = readImageHeader(head));
  } catch (err) {
    if (err instanceof ImageHeaderError) throw new PhotoRefusal(err.message);
    throw err;
  }
  const tooBig = pixelLimitProblem({ width, height }, maxPixels);
  if (tooBig) throw new PhotoRefusal(tooBig);
  const image: ProbedImage = { index, width, height, channels: 3, grey: null, plain: null };
  if (Math.max(width, height) <= CNN_MAX_SIDE) {
    const all = await whole();
    const raw = await decodeBmp(all, maxPixels);
    image.channels = raw.channels;
    const { width: w, height: h, channels } = raw;
    Object.assign(image, await lookAt(() => sharp(raw.data, { raw: { width: w, height: h, channels } }), all));
  }
  return image;
}

/** A band of this many grey levels either side holds a plain background's pixels (JPEG noise, a faint gradient). */
const PLAIN_BAND = 8;
/** An image is marks on a plain background when one band holds at least this share of its pixels (MNIST: 0.76-0.9). */
const PLAIN_SHARE = 0.3;

/**
 * Whether every pixel has R, G and B equal (within JPEG rounding), and whether the image is
 * marks on a plain background: one band of 2 x PLAIN_BAND + 1 grey levels holds PLAIN_SHARE of
 * its pixels. Where some pixels are transparent, the alpha channel is what was drawn.
 */
async function lookAt(open: () => Sharp, bytes: Uint8Array): Promise<{ grey: boolean; plain: boolean }> {
  let data: Buffer;
  try {
    data = await open().toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' }).toBuffer();
  } catch (err) {
    throw new PhotoRefusal(decodeReason(err, bytes));
  }
  let grey = true;
  let seeThrough = false;
  const lum = new Uint32Array(256);
  const alpha = new Uint32Array(256);
  for (let i = 0; i + 3 < data.length; i += 4) {
    const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    if (Math.abs(r - g) > GREY_TOLERANCE || Math.abs(g - b) > GREY_TOLERANCE) grey = false;
    if (a < 255) seeThrough = true;
    lum[Math.round((r + g + b) / 3)]!++;
    alpha[a]!++;
  }
  return { grey, plain: largestBandShare(seeThrough ? alpha : lum) >= PLAIN_SHARE };
}

/** The largest share of a histogram's counts within PLAIN_BAND levels of one level. */
function largestBandShare(hist: Uint32Array): number {
  let total = 0;
  for (const c of hist) total += c;
  let band = 0;
  for (let v = 0; v <= PLAIN_BAND && v < hist.length; v++) band += hist[v]!;
  let best = band;
  // Slide the window [centre - PLAIN_BAND, centre + PLAIN_BAND] over the levels.
  for (let centre = 1; centre < hist.length; centre++) {
    const enter = centre + PLAIN_BAND;
    const leave = centre - PLAIN_BAND - 1;
    if (enter < hist.length) band += hist[enter]!;
    if (leave >= 0) band -= hist[leave]!;
    best = Math.max(best, band);
  }
  return total === 0 ? 0 : best / total;
}
