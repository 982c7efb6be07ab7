// One photo file, already read, to every target size at once: sharp (libvips) decodes it
// once per target from the same bytes. EXIF orientation is applied, alpha is flattened on
// the target's background, CMYK, 16-bit and palette images come out as 8-bit sRGB (or grey),
// and only the first frame of an animation is read. A colour target no smaller than the image
// is reached by scaling the image up from its own size (photo-upscale.ts), and a plain file
// that every target scales up is decoded by TensorFlow alone (plain-photo.ts).
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import type { Recipe } from '../../../shared/recipe.js';
import type { NativeSize } from '../types.js';
import { pixelLimitProblem, sniffFormat } from './image-header.js';
import { decodeBmp } from './photo-bmp.js';
import { decodeReason, notAnImage, PHOTO_FORMATS, PhotoRefusal } from './photo-reasons.js';
import { decodePlain, scalesUp, scaleUp } from './photo-upscale.js';
import { plainPhoto } from './plain-photo.js';

/** One output of the decoder: the recipe's input size and channels, resize policy and background. */
export type PhotoTarget = Recipe['input'] & Pick<Recipe, 'resize' | 'background'>;

export function photoTargetOf(recipe: Recipe): PhotoTarget {
  return { ...recipe.input, resize: recipe.resize, background: recipe.background };
}

export interface DecodedPhoto {
  /** As displayed (EXIF orientation applied), with the file's own channels. */
  native: NativeSize;
  /** One per target: height * width * channels bytes, row-major, channels last. */
  outputs: Uint8Array[];
}

const FIT = { stretch: 'fill', fit: 'contain', crop: 'cover' } as const;
/**
 * Bilinear, antialiased when shrinking (scaling up is photo-upscale.ts's); sharp's default
 * lanczos3 is sharper and slower, and a network sees no gain from it. A change here changes
 * the bytes: bump the recipes' versions.
 */
const KERNEL = 'linear';

interface Source {
  native: NativeSize;
  open: () => Sharp;
}

/** Decodes `bytes` to each target; throws PhotoRefusal with the reason in plain words. */
export async function decodePhoto(
  bytes: Uint8Array,
  targets: readonly PhotoTarget[],
  maxPixels: number,
): Promise<DecodedPhoto> {
  try {
    if (bytes.length === 0) throw new PhotoRefusal('is an empty file');
    const plain = plainPhoto(bytes);
    if (plain && targets.every((t) => scalesUp(plain, t))) {
      const tooBig = pixelLimitProblem(plain, maxPixels);
      if (tooBig) throw new PhotoRefusal(tooBig);
      const image = await decodePlain(bytes, plain);
      if (image) {
        const native = { width: plain.width, height: plain.height, channels: plain.channels };
        return { native, outputs: await Promise.all(targets.map((t) => scaleUp(image, t))) };
      }
    }
    const source =
      sniffFormat(bytes) === 'BMP' ? await bmpSource(bytes, maxPixels) : await encodedSource(bytes, maxPixels);
    const outputs = await Promise.all(targets.map((t) => render(source, t)));
    return { native: source.native, outputs };
  } catch (err) {
    throw err instanceof PhotoRefusal ? err : new PhotoRefusal(decodeReason(err, bytes));
  }
}

/**
 * Bytes TensorFlow's decoders read (PNG, JPEG, GIF, BMP) as they are, any other format sharp
 * reads (WebP, TIFF, AVIF) as pngOf: for the digits path. Throws PhotoRefusal as decodePhoto does.
 */
export function tfDecodable(bytes: Uint8Array, maxPixels: number): Promise<Uint8Array> {
  return sniffFormat(bytes) !== null ? Promise.resolve(bytes) : pngOf(bytes, maxPixels);
}

/** Any image sharp reads as a lossless 8-bit PNG (first frame, EXIF orientation, alpha kept). */
export async function pngOf(bytes: Uint8Array, maxPixels: number): Promise<Uint8Array> {
  try {
    if (bytes.length === 0) throw new PhotoRefusal('is an empty file');
    const source = await encodedSource(bytes, maxPixels);
    const grey = source.native.channels <= 2;
    const png = await source
      .open()
      .toColourspace(grey ? 'b-w' : 'srgb')
      .png()
      .toBuffer();
    return new Uint8Array(png.buffer, png.byteOffset, png.length);
  } catch (err) {
    throw err instanceof PhotoRefusal ? err : new PhotoRefusal(decodeReason(err, bytes));
  }
}

/** Raw pixels already in memory (a stored image without a file) to each target. */
export async function renderRaw(
  raw: { data: Uint8Array; width: number; height: number; channels: 1 | 2 | 3 | 4 },
  targets: readonly PhotoTarget[],
): Promise<Uint8Array[]> {
  const { width, height, channels } = raw;
  const source: Source = {
    native: { width, height, channels },
    open: () => sharp(raw.data, { raw: { width, height, channels } }),
  };
  return Promise.all(targets.map((t) => render(source, t)));
}

async function encodedSource(bytes: Uint8Array, maxPixels: number): Promise<Source> {
  // The header alone: the size is checked here, before libvips allocates for the pixels.
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  if (!meta.format || !(meta.format in PHOTO_FORMATS)) throw new PhotoRefusal(notAnImage(bytes));
  const { width, height } = meta.autoOrient;
  const tooBig = pixelLimitProblem({ width, height }, maxPixels);
  if (tooBig) throw new PhotoRefusal(tooBig);
  const options: SharpOptions = {
    // Still set: the decoder's own check, should a header lie about the size.
    limitInputPixels: Number.isFinite(maxPixels) ? Math.max(1, Math.floor(maxPixels)) : false,
    // A cut-off file is refused; libjpeg's harmless warnings (extraneous bytes) are not.
    failOn: 'truncated',
    pages: 1,
    page: 0,
  };
  return {
    native: { width, height, channels: meta.channels },
    open: () => sharp(bytes, options).rotate(),
  };
}

async function bmpSource(bytes: Uint8Array, maxPixels: number): Promise<Source> {
  const raw = await decodeBmp(bytes, maxPixels);
  const { width, height, channels } = raw;
  return {
    native: { width, height, channels },
    open: () => sharp(raw.data, { raw: { width, height, channels }, limitInputPixels: false }),
  };
}

async function render(source: Source, t: PhotoTarget): Promise<Uint8Array> {
  const [r, g, b] = t.background;
  // In sRGB from the start: a grey (or grey + alpha) file would otherwise be flattened and
  // padded in one band, and a colour background would come out grey.
  const flat = () => source.open().pipelineColourspace('srgb').flatten({ background: { r, g, b } });
  if (scalesUp(source.native, t)) {
    const own = await flat().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    checkShape(own.info, source.native.width, source.native.height, 3);
    const { width, height } = own.info;
    return scaleUp({ data: new Uint8Array(own.data.buffer, own.data.byteOffset, own.data.length), width, height }, t);
  }
  const { data, info } = await flat()
    .resize(t.width, t.height, {
      fit: FIT[t.resize],
      position: 'centre',
      background: { r, g, b, alpha: 1 },
      kernel: KERNEL,
    })
    .toColourspace(t.channels === 1 ? 'b-w' : 'srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  checkShape(info, t.width, t.height, t.channels);
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

function checkShape(
  info: { width: number; height: number; channels: number },
  width: number,
  height: number,
  channels: number,
): void {
  if (info.width !== width || info.height !== height || info.channels !== channels)
    throw new Error(
      `sharp gave ${info.width} x ${info.height} x ${info.channels} for ${width} x ${height} x ${channels}`,
    );
}
