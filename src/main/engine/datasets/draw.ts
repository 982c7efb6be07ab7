import { IMAGE_SIZE, PIXELS_PER_IMAGE } from '../types.js';

// Just enough raster drawing for synthetic 28x28 samples: thick anti-aliased pen strokes
// (so generated strokes have MNIST's soft edges rather than jagged 1-pixel lines) and a
// bilinear resampler for placing a crop into the frame.

export type Point = readonly [x: number, y: number];

/** A float canvas, 0..1 per pixel; pixel (x, y) is centred at (x, y). */
export class Canvas {
  readonly data: Float32Array;

  constructor(
    readonly width = IMAGE_SIZE,
    readonly height = IMAGE_SIZE,
  ) {
    this.data = new Float32Array(width * height);
  }

  /**
   * A round-capped pen line. Coverage falls off linearly over one pixel at the pen's edge;
   * overlapping strokes take the brighter value, as ink does, rather than adding up.
   */
  segment(a: Point, b: Point, width: number, intensity = 1): void {
    const r = width / 2;
    const x0 = Math.max(0, Math.floor(Math.min(a[0], b[0]) - r - 1));
    const x1 = Math.min(this.width - 1, Math.ceil(Math.max(a[0], b[0]) + r + 1));
    const y0 = Math.max(0, Math.floor(Math.min(a[1], b[1]) - r - 1));
    const y1 = Math.min(this.height - 1, Math.ceil(Math.max(a[1], b[1]) + r + 1));
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len2 = dx * dx + dy * dy;
    // x0..x1 and y0..y1 are clamped inside the canvas, so i below is one of its pixels.
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
        const px = a[0] + t * dx - x;
        const py = a[1] + t * dy - y;
        const d = Math.sqrt(px * px + py * py);
        const cover = Math.max(0, Math.min(1, r + 0.5 - d)) * intensity;
        const i = y * this.width + x;
        if (cover > this.data[i]!) this.data[i] = cover;
      }
    }
  }

  polyline(points: readonly Point[], width: number, intensity = 1): void {
    let prev: Point | null = null;
    for (const p of points) {
      if (prev) this.segment(prev, p, width, intensity);
      prev = p;
    }
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.data, (v) => Math.round(Math.max(0, Math.min(1, v)) * 255));
  }
}

/** A smooth curve through `points` (Catmull-Rom), as a polyline of `perSpan` steps per span. */
export function smoothCurve(points: readonly Point[], perSpan = 8): Point[] {
  if (points.length < 3) return [...points];
  const out: Point[] = [];
  // Every index below is clamped to 0..points.length - 1.
  for (let i = 0; i < points.length - 1; i++) {
    const p0 = points[Math.max(0, i - 1)]!;
    const p1 = points[i]!;
    const p2 = points[i + 1]!;
    const p3 = points[Math.min(points.length - 1, i + 2)]!;
    for (let s = 0; s < perSpan; s++) {
      const t = s / perSpan;
      const t2 = t * t;
      const t3 = t2 * t;
      const f = (a: number, b: number, c: number, d: number) =>
        0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (-a + 3 * b - 3 * c + d) * t3);
      out.push([f(p0[0], p1[0], p2[0], p3[0]), f(p0[1], p1[1], p2[1], p3[1])]);
    }
  }
  out.push(points[points.length - 1]!); // length >= 3
  return out;
}

/** Bilinear sample of a w*h grey image at (x, y); outside the image is 0. */
function sample(src: Uint8Array, w: number, h: number, x: number, y: number): number {
  const xf = Math.floor(x);
  const yf = Math.floor(y);
  const fx = x - xf;
  const fy = y - yf;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= w || yy >= h ? 0 : src[yy * w + xx]!);
  return (
    at(xf, yf) * (1 - fx) * (1 - fy) +
    at(xf + 1, yf) * fx * (1 - fy) +
    at(xf, yf + 1) * (1 - fx) * fy +
    at(xf + 1, yf + 1) * fx * fy
  );
}

/**
 * MNIST's own framing: the crop (sw*sh) is scaled, keeping its aspect ratio, so its longer
 * side is `box` pixels, and drawn in the middle of a 28x28 frame.
 */
export function fitIntoFrame(src: Uint8Array, sw: number, sh: number, box = 20): Uint8Array {
  // sample() then reads src only at (x, y) inside sw x sh.
  if (src.length !== sw * sh) throw new Error(`fitIntoFrame: ${src.length} pixels for ${sw} x ${sh}`);
  const out = new Uint8Array(PIXELS_PER_IMAGE);
  const scale = box / Math.max(sw, sh);
  const dw = sw * scale;
  const dh = sh * scale;
  const ox = (IMAGE_SIZE - dw) / 2;
  const oy = (IMAGE_SIZE - dh) / 2;
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) {
      // Map the destination pixel centre back into source pixel coordinates.
      const sx = (x + 0.5 - ox) / scale - 0.5;
      const sy = (y + 0.5 - oy) / scale - 0.5;
      if (sx < -0.5 || sy < -0.5 || sx > sw - 0.5 || sy > sh - 0.5) continue;
      out[y * IMAGE_SIZE + x] = Math.round(
        sample(src, sw, sh, Math.max(0, Math.min(sw - 1, sx)), Math.max(0, Math.min(sh - 1, sy))),
      );
    }
  }
  return out;
}
