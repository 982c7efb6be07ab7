// Images no larger than a colour target are decoded once at their own size and scaled up in
// TensorFlow, as libvips' linear kernel does it: for CIFAR's 32 px files a quarter of the CPU of
// a libvips pipeline per target (docs/decoding.md). A plain file (plain-photo.ts) is decoded
// by TensorFlow as well; any other arrives as sharp's pixels at the file's own size.
import type { tf as Tf } from '../model/tf.js';
import type { PhotoTarget } from './photo-sharp.js';
import type { PlainPhoto } from './plain-photo.js';

let loaded: Promise<typeof Tf> | null = null;
const tfModule = () => (loaded ??= import('../model/tf.js').then((m) => m.tf));

export interface RgbPixels {
  /** height * width * 3 bytes, row-major. */
  data: Uint8Array;
  width: number;
  height: number;
}

/** Whether an image of this size reaches target `t` by scaling up (or not at all). */
export function scalesUp(size: { width: number; height: number }, t: PhotoTarget): boolean {
  return t.channels === 3 && size.width <= t.width && size.height <= t.height;
}

/** TensorFlow's decode of a plain file as RGB, or null when it fails (sharp then says why). */
export async function decodePlain(bytes: Uint8Array, plain: PlainPhoto): Promise<RgbPixels | null> {
  const tf = await tfModule();
  try {
    const image =
      plain.format === 'JPEG'
        ? tf.node.decodeJpeg(bytes, 3, 1, true, false, 1, 'INTEGER_ACCURATE')
        : tf.node.decodePng(bytes, 3);
    try {
      const [height, width, channels] = image.shape;
      if (height !== plain.height || width !== plain.width || channels !== 3) return null;
      return { data: new Uint8Array(image.dataSync()), width, height };
    } finally {
      image.dispose();
    }
  } catch {
    return null;
  }
}

/** `image` brought to `t` (scalesUp holds): stretched, fitted on the background, or its centre cropped. */
export async function scaleUp(image: RgbPixels, t: PhotoTarget): Promise<Uint8Array> {
  const { width: w, height: h } = image;
  const s = t.resize === 'fit' ? Math.min(t.width / w, t.height / h) : Math.max(t.width / w, t.height / h);
  const [sw, sh] =
    t.resize === 'stretch'
      ? [t.width, t.height]
      : t.resize === 'fit'
        ? [Math.min(t.width, Math.max(1, Math.round(w * s))), Math.min(t.height, Math.max(1, Math.round(h * s)))]
        : [Math.max(t.width, Math.round(w * s)), Math.max(t.height, Math.round(h * s))];
  const scaled = sw === w && sh === h ? image.data : await linearUp(image, sw, sh);
  if (sw === t.width && sh === t.height) return scaled;
  const out = new Uint8Array(t.width * t.height * 3);
  if (t.resize === 'fit') {
    for (let i = 0; i < out.length; i++) out[i] = t.background[i % 3]!;
    const [left, top] = [Math.floor((t.width - sw) / 2), Math.floor((t.height - sh) / 2)];
    for (let y = 0; y < sh; y++)
      out.set(scaled.subarray(y * sw * 3, (y + 1) * sw * 3), ((top + y) * t.width + left) * 3);
    return out;
  }
  const [left, top] = [Math.floor((sw - t.width) / 2), Math.floor((sh - t.height) / 2)];
  for (let y = 0; y < t.height; y++) {
    const from = ((top + y) * sw + left) * 3;
    out.set(scaled.subarray(from, from + t.width * 3), y * t.width * 3);
  }
  return out;
}

/** One pixel repeated on every side of height and width ('symmetric' repeats the edge). */
const EDGE: [number, number][] = [
  [1, 1],
  [1, 1],
  [0, 0],
];

/**
 * libvips' linear upscale, as sharp gives it: output pixel d samples the image at
 * d * in / out - 0.5, clamped at the edges (a test holds it to sharp's bytes, within a level
 * of rounding). TensorFlow's own bilinear samples at (d + 0.5) * in / out - 0.5; features of
 * its images were 0.4 points of accuracy worse (docs/decoding.md). With the edge pixels
 * repeated once around the image every sample lies inside it, where crop_and_resize takes
 * evenly spaced bilinear samples between two corners.
 */
async function linearUp(image: RgbPixels, sw: number, sh: number): Promise<Uint8Array> {
  const tf = await tfModule();
  const { width: w, height: h } = image;
  // In the image padded to side + 2, the samples run from 0.5 to (out - 1) * side / out + 0.5.
  const last = (out: number, side: number) => ((out - 1) * side) / out + 0.5;
  const box = [0.5 / (h + 1), 0.5 / (w + 1), last(sh, h) / (h + 1), last(sw, w) / (w + 1)];
  const resized = tf.tidy(() => {
    const x = tf.tensor3d(image.data, [h, w, 3], 'int32').toFloat();
    const padded = tf.mirrorPad(x, EDGE, 'symmetric').expandDims(0) as Tf.Tensor4D;
    return tf.image.cropAndResize(padded, tf.tensor2d([box]), tf.tensor1d([0], 'int32'), [sh, sw], 'bilinear');
  });
  // Read outside tidy, which would walk a returned array element by element.
  const floats = resized.dataSync();
  resized.dispose();
  // Rounded to the nearest level and clamped, as the typed array's conversion does.
  return new Uint8Array(new Uint8ClampedArray(floats).buffer);
}
