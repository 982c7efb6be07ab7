import { tf } from '../model/tf.js';
import { DEFAULT_INPUT_LIMITS, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../types.js';
import { ImageHeaderError, pixelLimitProblem, readImageHeader, type ImageFormat } from './image-header.js';
import { errorMessage } from '../../../shared/api.js';
import { decodeGreyPng } from './png.js';

// Decodes image files of any size and colour type into 28x28 grey pixels with tfjs-node's
// native decoders (28x28 8-bit grey PNGs, the usual digit file, in JavaScript). Images are processed a batch at a time and read back with one
// transfer per batch; every tensor is disposed before the next batch starts.

export interface EncodedImage {
  /** Shown in error messages. */
  name: string;
  bytes: Uint8Array;
}

export interface DecodeFailure {
  name: string;
  message: string;
}

/** Above this many pixels an image is reduced on its own, so a batch of photos cannot exhaust memory. */
const LARGE_IMAGE_PIXELS = 256 * 256;

/**
 * Images with alpha are composited onto a background that contrasts with the ink: black ink
 * on a transparent canvas becomes black on white, white ink becomes white on black. (Plain
 * dropping of alpha would turn black-on-transparent into black on black.)
 */
function toGrey(decoded: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const channels = decoded.shape[2];
    const x = decoded.toFloat();
    let lum: tf.Tensor3D;
    let alpha: tf.Tensor3D | null = null;
    if (channels === 1) lum = x;
    else if (channels === 2) {
      lum = x.slice([0, 0, 0], [-1, -1, 1]);
      alpha = x.slice([0, 0, 1], [-1, -1, 1]).div<tf.Tensor3D>(255);
    } else {
      // ITU-R BT.601 luma, as PIL's convert('L') and most tools.
      const rgb = x.slice([0, 0, 0], [-1, -1, 3]);
      lum = rgb.mul<tf.Tensor3D>(tf.tensor1d([0.299, 0.587, 0.114])).sum<tf.Tensor3D>(2, true);
      if (channels === 4) alpha = x.slice([0, 0, 3], [-1, -1, 1]).div<tf.Tensor3D>(255);
    }
    if (alpha === null) return lum;
    const stats = tf.stack([lum.mul(alpha).sum().div(alpha.sum().maximum(1e-6)), alpha.min()]).dataSync();
    const [inkMean, minAlpha] = stats;
    if (inkMean === undefined || minAlpha === undefined)
      throw new Error(`alpha statistics: ${stats.length} values, not 2`);
    if (minAlpha >= 1) return lum;
    const bg = inkMean < 128 ? 255 : 0;
    return lum.mul(alpha).add(tf.scalar(1).sub(alpha).mul(bg)) as tf.Tensor3D;
  });
}

/**
 * [n, h, w, 1] grey (0..255 floats) -> [n, 28, 28, 1]. Non-square images are padded to a
 * square with their own border colour (no stretching of the ink); large images are first
 * averaged down by an integer factor, because bilinear resizing alone samples only a few
 * source pixels per output pixel and would drop thin strokes of a big scan.
 */
export function reduceToModelSize(grey: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w] = grey.shape;
    if (h === IMAGE_SIZE && w === IMAGE_SIZE) return grey.clone();
    let x: tf.Tensor4D = grey;
    if (h !== w) {
      const border = tf.concat(
        [
          x.slice([0, 0, 0, 0], [-1, 1, -1, -1]).reshape([n, w]),
          x.slice([0, h - 1, 0, 0], [-1, 1, -1, -1]).reshape([n, w]),
          x.slice([0, 0, 0, 0], [-1, -1, 1, -1]).reshape([n, h]),
          x.slice([0, 0, w - 1, 0], [-1, -1, 1, -1]).reshape([n, h]),
        ],
        1,
      );
      const bg = border.mean(1).reshape([n, 1, 1, 1]);
      const side = Math.max(h, w);
      const top = Math.floor((side - h) / 2);
      const left = Math.floor((side - w) / 2);
      x = tf
        .pad(
          x.sub(bg),
          [
            [0, 0],
            [top, side - h - top],
            [left, side - w - left],
            [0, 0],
          ],
          0,
        )
        .add(bg) as tf.Tensor4D;
    }
    const side = x.shape[1];
    const factor = Math.floor(side / IMAGE_SIZE);
    if (factor >= 2) x = tf.avgPool(x, factor, factor, 'same');
    return tf.image.resizeBilinear(x, [IMAGE_SIZE, IMAGE_SIZE], false, true);
  });
}

/**
 * A big photo is scaled down by libjpeg as it is decoded (1/2, 1/4 or 1/8), so its
 * full-size pixels are never held; the result stays at least 8 times the model's size, so
 * the averaging in reduceToModelSize still sees every stroke.
 */
function jpegRatio(width: number, height: number): number {
  if (width * height <= LARGE_IMAGE_PIXELS) return 1;
  let ratio = 1;
  while (ratio < 8 && Math.min(width, height) / (ratio * 2) >= 8 * IMAGE_SIZE) ratio *= 2;
  return ratio;
}

/** Thrown before decoding: the header says what the image is, and it is refused. */
class Refused extends Error {}

function decodeOne(image: EncodedImage, maxPixels: number): tf.Tensor3D {
  // The size comes from the header, so an image over the limit never reaches the decoder.
  let format: ImageFormat;
  let ratio = 1;
  try {
    const header = readImageHeader(image.bytes);
    const tooBig = pixelLimitProblem(header, maxPixels);
    if (tooBig) throw new Refused(tooBig);
    format = header.format;
    if (format === 'JPEG') ratio = jpegRatio(header.width, header.height);
  } catch (err) {
    if (err instanceof ImageHeaderError) throw new Refused(err.message);
    throw err;
  }
  // expandAnimations=false: a GIF gives its first frame as a 3D tensor like any other image.
  let decoded: tf.Tensor3D;
  try {
    decoded =
      ratio > 1
        ? tf.node.decodeJpeg(image.bytes, 0, ratio)
        : (tf.node.decodeImage(image.bytes, 0, 'int32', false) as tf.Tensor3D);
  } catch (err) {
    // TensorFlow's own words ("Invalid TF_Status: 3") tell a user nothing.
    throw new Refused(`is a truncated or corrupt ${format} (${cleanTfMessage(err)})`);
  }
  try {
    if (decoded.rank !== 3 || decoded.shape[0] === 0 || decoded.shape[1] === 0) {
      throw new Error(`decoded to an unexpected shape [${decoded.shape.join(', ')}]`);
    }
    return toGrey(decoded);
  } finally {
    decoded.dispose();
  }
}

/**
 * Decodes `images` into `out` (images.length * 784 bytes, before any normalisation).
 * Undecodable images are left black in `out` and reported, never thrown, so the caller can
 * name every bad file at once.
 */
export function decodeBatchToGrey28(
  images: EncodedImage[],
  out: Uint8Array,
  maxPixels: number = DEFAULT_INPUT_LIMITS.maxPixels,
): DecodeFailure[] {
  if (out.length !== images.length * PIXELS_PER_IMAGE) {
    throw new RangeError(`decodeBatchToGrey28: output holds ${out.length} bytes for ${images.length} images`);
  }
  const failures: DecodeFailure[] = [];
  const reduced: { index: number; tensor: tf.Tensor4D }[] = [];
  // Small images of one size are reduced together: one pad/pool/resize for the whole group.
  const groups = new Map<string, { indices: number[]; tensors: tf.Tensor3D[] }>();
  try {
    images.forEach((image, index) => {
      const slot = out.subarray(index * PIXELS_PER_IMAGE, (index + 1) * PIXELS_PER_IMAGE);
      if (decodeGreyPng(image.bytes, IMAGE_SIZE, IMAGE_SIZE, slot)) return;
      slot.fill(0);
      let grey: tf.Tensor3D;
      try {
        grey = decodeOne(image, maxPixels);
      } catch (err) {
        failures.push({ name: image.name, message: err instanceof Refused ? err.message : cleanTfMessage(err) });
        return;
      }
      const [h, w] = grey.shape;
      if (h * w > LARGE_IMAGE_PIXELS) {
        reduced.push({ index, tensor: tf.tidy(() => reduceToModelSize(grey.expandDims(0) as tf.Tensor4D)) });
        grey.dispose();
        return;
      }
      const key = `${h}x${w}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { indices: [], tensors: [] }));
      group.indices.push(index);
      group.tensors.push(grey);
    });
    for (const group of groups.values()) {
      const batch = tf.tidy(() => reduceToModelSize(tf.stack(group.tensors) as tf.Tensor4D));
      group.indices.forEach((index, i) => {
        reduced.push({ index, tensor: tf.tidy(() => batch.slice([i, 0, 0, 0], [1, -1, -1, -1])) });
      });
      batch.dispose();
    }
    if (reduced.length === 0) return failures;
    const values = tf.tidy(() =>
      tf
        .concat(reduced.map((r) => r.tensor))
        .clipByValue(0, 255)
        .round(),
    );
    const data = values.dataSync();
    values.dispose();
    reduced.forEach((r, i) => {
      const src = data.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE);
      out.set(src, r.index * PIXELS_PER_IMAGE);
    });
    return failures;
  } finally {
    for (const group of groups.values()) group.tensors.forEach((t) => t.dispose());
    reduced.forEach((r) => r.tensor.dispose());
  }
}

/** TensorFlow's messages carry C++ source locations; keep the human part. */
function cleanTfMessage(err: unknown): string {
  const message = errorMessage(err);
  const firstLine = (message.split('\n', 1)[0] ?? '').trim(); // '' only for an empty message
  if (/TF_Status/i.test(firstLine)) return 'the decoder could not read it';
  return firstLine.replace(/^Invalid argument:\s*/i, '') || 'cannot be decoded';
}
