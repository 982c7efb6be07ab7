import { IMAGE_SIZE, PIXELS_PER_IMAGE } from '../types.js';

// Makes a 28x28 grey image look the way MNIST's do, so a model trained on one kind of
// data sees the other kind the same way: light ink on a dark background, background at 0,
// ink reaching full brightness, centre of mass in the middle of the frame.

/** MNIST's mean centre of mass, measured on its 70,000 digits: (14.01, 13.99). */
const TARGET_CENTRE = 14;
/** Pixels at or below this are background noise, free to be shifted out of the frame. */
const INK_THRESHOLD = 32;
/** A faint image is brightened at most this much, so a blank page does not become noise. */
const MAX_GAIN = 4;

/** Mean of the outermost ring of pixels: what the background looks like. */
export function borderMean(img: Uint8Array): number {
  expectImage(img, 'borderMean');
  const n = IMAGE_SIZE;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += img[i]! + img[(n - 1) * n + i]!;
  }
  for (let r = 1; r < n - 1; r++) {
    sum += img[r * n]! + img[r * n + n - 1]!;
  }
  return sum / (4 * n - 4);
}

/**
 * Dark ink on a light background (paper, a whiteboard) is inverted; then the background
 * level is pulled to 0 and the brightest ink stretched towards 255. Returns whether the
 * image was inverted. Works in place on one 784-pixel image.
 */
export function normaliseLevels(img: Uint8Array): boolean {
  let bg = borderMean(img); // checks img is one image; the loops below stay inside it
  const inverted = bg > 127.5;
  if (inverted) {
    for (let i = 0; i < img.length; i++) img[i] = 255 - img[i]!;
    bg = 255 - bg;
  }
  let max = 0;
  for (let i = 0; i < img.length; i++) if (img[i]! > max) max = img[i]!;
  const span = max - bg;
  // A uniform image (a blank page) has nothing brighter than its background: all background.
  const gain = span <= 0 ? 1 : Math.min(255 / span, MAX_GAIN);
  if (bg < 0.5 && gain <= 1.0001) return inverted; // already MNIST-like: leave the bytes alone
  for (let i = 0; i < img.length; i++) {
    const v = (img[i]! - bg) * gain;
    img[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return inverted;
}

/**
 * Shifts the image by whole pixels so its centre of mass sits where MNIST's does, as
 * MNIST itself was made. The shift is clamped so no ink leaves the frame. In place.
 */
export function centreByMass(img: Uint8Array): void {
  expectImage(img, 'centreByMass');
  const n = IMAGE_SIZE;
  let mass = 0;
  let mx = 0;
  let my = 0;
  let minX = n;
  let maxX = -1;
  let minY = n;
  let maxY = -1;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const v = img[y * n + x]!;
      mass += v;
      mx += v * x;
      my += v * y;
      if (v > INK_THRESHOLD) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (mass === 0 || maxX < 0) return;
  const dx = clamp(Math.round(TARGET_CENTRE - mx / mass), -minX, n - 1 - maxX);
  const dy = clamp(Math.round(TARGET_CENTRE - my / mass), -minY, n - 1 - maxY);
  if (dx === 0 && dy === 0) return;
  const src = img.slice();
  img.fill(0);
  for (let y = 0; y < n; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= n) continue;
    for (let x = 0; x < n; x++) {
      const sx = x - dx;
      if (sx < 0 || sx >= n) continue;
      img[y * n + x] = src[sy * n + sx]!;
    }
  }
}

/** Throws unless img is one n x n image: every index below is then (row < n) * n + (column < n). */
function expectImage(img: Uint8Array, what: string): void {
  if (img.length !== PIXELS_PER_IMAGE)
    throw new Error(`${what}: ${img.length} pixels, not one ${IMAGE_SIZE} x ${IMAGE_SIZE} image`);
}

function clamp(v: number, lo: number, hi: number): number {
  // lo > hi when ink spans the frame: then no shift is possible.
  if (lo > hi) return 0;
  return v < lo ? lo : v > hi ? hi : v;
}

export interface NormaliseOptions {
  /** Shift each image so its centre of mass is central (default true). */
  centre?: boolean;
}

/** Normalises every 784-pixel image of `pixels` in place. */
export function normaliseAll(pixels: Uint8Array, opts: NormaliseOptions = {}): void {
  const centre = opts.centre ?? true;
  // A short last image would be read past its end as undefined pixels.
  if (pixels.length % PIXELS_PER_IMAGE !== 0) {
    throw new Error(`normaliseAll: ${pixels.length} bytes is not a whole number of ${PIXELS_PER_IMAGE}-pixel images`);
  }
  for (let off = 0; off < pixels.length; off += PIXELS_PER_IMAGE) {
    const img = pixels.subarray(off, off + PIXELS_PER_IMAGE);
    normaliseLevels(img);
    if (centre) centreByMass(img);
  }
}
