import { IMAGE_SIZE, imageAt, PIXELS_PER_IMAGE } from '../types.js';
import { Canvas, fitIntoFrame, smoothCurve, type Point } from './draw.js';
import { readMnistRaw } from './mnist.js';
import { centreByMass } from './normalise.js';
import { fnv1a, Rng } from './random.js';
import { itemAt } from '../../../shared/checked-index.js';
import { LETTERS, SYMBOLS, type Stroke } from './distractor-glyphs.js';

// Synthetic samples that are not digits but that a digit classifier will still happily
// call one: what the user's pipeline fed to the model. Three kinds go into the demo pool
// (and may be used to tune scores); the EVAL_ONLY kinds exist only to test whether a
// score generalises to kinds of outliers it was never tuned on.

export const DEMO_DISTRACTOR_KINDS = ['missegmented', 'scribble', 'noise'] as const;
/**
 * Development kinds outside the demo pool: clean pen-drawn symbols (docs/score-selection/
 * symbols-dev-kind.md says why they were added). Scores may be chosen on them.
 */
export const EXTRA_DEV_KINDS = ['symbols'] as const;
/** Held out from any tuning: used only when measuring OOD detection. */
export const EVAL_ONLY_KINDS = ['letters-like', 'inverted', 'shifted'] as const;

export type DemoDistractorKind = (typeof DEMO_DISTRACTOR_KINDS)[number];
export type EvalOnlyKind = (typeof EVAL_ONLY_KINDS)[number];
export type DistractorKind = DemoDistractorKind | (typeof EXTRA_DEV_KINDS)[number] | EvalOnlyKind;

const N = IMAGE_SIZE;

/** `n` images (n * 784 bytes) of one kind; the same `seed` gives the same bytes. */
export function generateDistractors(kind: DistractorKind, n: number, seed: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`generateDistractors: bad count ${n}`);
  // Each kind has its own stream, so asking for another kind with the same seed is independent.
  const rng = new Rng((seed ^ fnv1a(kind)) >>> 0);
  const make = GENERATORS[kind];
  if (!make) throw new RangeError(`generateDistractors: unknown kind '${kind}'`);
  const out = new Uint8Array(n * PIXELS_PER_IMAGE);
  for (let i = 0; i < n; i++) out.set(make(rng), i * PIXELS_PER_IMAGE);
  return out;
}

const GENERATORS: Record<DistractorKind, (rng: Rng) => Uint8Array> = {
  missegmented,
  scribble,
  noise,
  symbols,
  'letters-like': lettersLike,
  inverted,
  shifted,
};

function testDigit(rng: Rng): Uint8Array {
  const mnist = readMnistRaw('test');
  const i = rng.int(mnist.count);
  return imageAt(mnist.pixels, i);
}

/** Columns (or rows) holding ink: [first, last]. */
function inkExtent(img: Uint8Array, w: number, h: number, axis: 'x' | 'y', threshold = 0): [number, number] {
  if (img.length !== w * h) throw new Error(`inkExtent: ${img.length} pixels for ${w} x ${h}`);
  let first = -1;
  let last = -1;
  const outer = axis === 'x' ? w : h;
  const inner = axis === 'x' ? h : w;
  for (let a = 0; a < outer; a++) {
    let any = false;
    for (let b = 0; b < inner && !any; b++) {
      const v = (axis === 'x' ? img[b * w + a] : img[a * w + b])!; // a, b inside w x h = img.length
      if (v > threshold) any = true;
    }
    if (any) {
      if (first < 0) first = a;
      last = a;
    }
  }
  return [first, last];
}

/**
 * A segmenter's mistake: two MNIST test digits written touching, side by side, and a box cut
 * from the middle of the first to the middle of the second, then framed the MNIST way
 * (longer side scaled to 20 px, centred by mass).
 */
function missegmented(rng: Rng): Uint8Array {
  let a = testDigit(rng);
  let b = testDigit(rng);
  for (let tries = 0; tries < 10 && (inkExtent(a, N, N, 'x')[0] < 0 || inkExtent(b, N, N, 'x')[0] < 0); tries++) {
    a = testDigit(rng);
    b = testDigit(rng);
  }
  const [aLeft, aRight] = inkExtent(a, N, N, 'x');
  const [bLeft, bRight] = inkExtent(b, N, N, 'x');
  const gap = rng.int(4) - 2; // -2..1: overlapping a little, touching, or one pixel apart
  const bx = aRight + 1 + gap - bLeft;
  const by = rng.int(5) - 2;
  const w = bx + N;
  // a and b are N x N; the strip is w x N with b's columns at bx..bx + N - 1. bx >= 1 for
  // every pair of MNIST test digits (each one's ink starts by column 13 and ends at 15 or
  // later), and the cut's columns cutStart..cutStart + cw - 1 lie inside the strip.
  const strip = new Uint8Array(w * N);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) strip[y * w + x] = a[y * N + x]!;
  }
  for (let y = 0; y < N; y++) {
    const sy = y - by;
    if (sy < 0 || sy >= N) continue;
    for (let x = 0; x < N; x++) {
      const i = y * w + bx + x;
      strip[i] = Math.max(strip[i]!, b[sy * N + x]!);
    }
  }
  const cutStart = Math.round(aLeft + rng.range(0.3, 0.7) * (aRight - aLeft));
  const cutEnd = Math.round(bx + bLeft + rng.range(0.3, 0.7) * (bRight - bLeft)) + 1;
  const cw = Math.max(2, cutEnd - cutStart);
  const cut = new Uint8Array(cw * N);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < cw; x++) cut[y * cw + x] = strip[y * w + cutStart + x]!;
  }
  const [top, bottom] = inkExtent(cut, cw, N, 'y');
  const ch = top < 0 ? N : bottom - top + 1;
  const crop = top < 0 ? cut : cut.subarray(top * cw, (top + ch) * cw);
  const framed = fitIntoFrame(crop, cw, ch);
  centreByMass(framed);
  return framed;
}

/** One to three smooth random pen strokes: what a stray mark or a doodle looks like. */
function scribble(rng: Rng): Uint8Array {
  const canvas = new Canvas();
  const strokes = 1 + rng.int(3);
  const width = rng.range(1.6, 3.2);
  for (let s = 0; s < strokes; s++) {
    const points: Point[] = [];
    let x = rng.range(6, 22);
    let y = rng.range(6, 22);
    let heading = rng.range(0, 2 * Math.PI);
    const count = 3 + rng.int(5);
    for (let i = 0; i < count; i++) {
      points.push([x, y]);
      heading += rng.gaussian() * 1.3;
      const step = rng.range(3, 9);
      x = Math.max(4, Math.min(23, x + Math.cos(heading) * step));
      y = Math.max(4, Math.min(23, y + Math.sin(heading) * step));
    }
    canvas.polyline(smoothCurve(points), width, rng.range(0.75, 1));
  }
  const img = canvas.toBytes();
  centreByMass(img);
  return img;
}

/** Blobs, salt-and-pepper or smooth clouds: sensor noise, smudges, an empty crop. */
function noise(rng: Rng): Uint8Array {
  const style = rng.int(3);
  const img = new Float32Array(PIXELS_PER_IMAGE);
  if (style === 0) {
    const blobs = 1 + rng.int(5);
    for (let k = 0; k < blobs; k++) {
      const cx = rng.range(4, 24);
      const cy = rng.range(4, 24);
      const sigma = rng.range(1.2, 4);
      const amp = rng.range(0.5, 1);
      for (let y = 0; y < N; y++) {
        for (let x = 0; x < N; x++) {
          const d2 = (x - cx) ** 2 + (y - cy) ** 2;
          img[y * N + x]! += amp * Math.exp(-d2 / (2 * sigma * sigma)); // x, y < N
        }
      }
    }
  } else if (style === 1) {
    const density = rng.range(0.04, 0.3);
    for (let i = 0; i < PIXELS_PER_IMAGE; i++) if (rng.float() < density) img[i] = rng.range(0.3, 1);
  } else {
    // Value noise: a coarse random grid, bilinearly upsampled, then contrast-stretched.
    const g = 4 + rng.int(4);
    // (g + 1) x (g + 1) grid and x0, y0 <= g - 1: the four corners below are inside it.
    const grid = Array.from({ length: (g + 1) * (g + 1) }, () => rng.float());
    const threshold = rng.range(0.35, 0.65);
    for (let y = 0; y < N; y++) {
      for (let x = 0; x < N; x++) {
        const gx = (x / (N - 1)) * g;
        const gy = (y / (N - 1)) * g;
        const x0 = Math.min(g - 1, Math.floor(gx));
        const y0 = Math.min(g - 1, Math.floor(gy));
        const fx = gx - x0;
        const fy = gy - y0;
        const v =
          grid[y0 * (g + 1) + x0]! * (1 - fx) * (1 - fy) +
          grid[y0 * (g + 1) + x0 + 1]! * fx * (1 - fy) +
          grid[(y0 + 1) * (g + 1) + x0]! * (1 - fx) * fy +
          grid[(y0 + 1) * (g + 1) + x0 + 1]! * fx * fy;
        img[y * N + x] = (v - threshold) * 3;
      }
    }
  }
  return Uint8Array.from(img, (v) => Math.round(Math.max(0, Math.min(1, v)) * 255));
}

// The tables are in distractor-glyphs.ts.
// The tables as lists, in key order: a draw picks by position (rng.int < length).
const SYMBOL_GLYPHS = Object.values(SYMBOLS);

function symbols(rng: Rng): Uint8Array {
  const strokes = itemAt(SYMBOL_GLYPHS, rng.int(SYMBOL_GLYPHS.length), 'symbol glyphs');
  return drawGlyph(rng, strokes, { height: [14, 20], aspect: [0.7, 1.1], slant: 0.2, jitter: 0.03 });
}

interface GlyphStyle {
  /** Height range in pixels, and width as a share of the height. */
  height: [number, number];
  aspect: [number, number];
  /** Largest horizontal shear, as a share of the height. */
  slant: number;
  /** Standard deviation of each point's wobble, in unit-box units. */
  jitter: number;
}

/** A glyph of unit-box strokes drawn with a random size, slant, pen and hand wobble, centred by mass. */
function drawGlyph(rng: Rng, strokes: readonly Stroke[], style: GlyphStyle): Uint8Array {
  const height = rng.range(...style.height);
  const width = height * rng.range(...style.aspect);
  const slant = rng.range(-style.slant, style.slant);
  const x0 = (N - width) / 2;
  const y0 = (N - height) / 2;
  const pen = rng.range(1.8, 3);
  const canvas = new Canvas();
  const place = (pts: readonly Point[]): Point[] =>
    pts.map(([u, v]): Point => {
      const ju = u + rng.gaussian() * style.jitter;
      const jv = v + rng.gaussian() * style.jitter;
      return [x0 + ju * width + slant * (0.5 - jv) * height, y0 + jv * height];
    });
  for (const stroke of strokes) {
    canvas.polyline('curve' in stroke ? smoothCurve(place(stroke.curve)) : place(stroke), pen);
  }
  const img = canvas.toBytes();
  centreByMass(img);
  return img;
}

const LETTER_GLYPHS = Object.values(LETTERS);

function lettersLike(rng: Rng): Uint8Array {
  const strokes = itemAt(LETTER_GLYPHS, rng.int(LETTER_GLYPHS.length), 'letter glyphs');
  return drawGlyph(rng, strokes, { height: [16, 20], aspect: [0.6, 0.95], slant: 0.25, jitter: 0.04 });
}

/** Dark ink on a light background: a digit the loader was not asked to normalise. */
function inverted(rng: Rng): Uint8Array {
  return Uint8Array.from(testDigit(rng), (v) => 255 - v);
}

/** A digit badly off-centre, partly out of the frame: a crop that missed. */
function shifted(rng: Rng): Uint8Array {
  const digit = testDigit(rng);
  const angle = rng.range(0, 2 * Math.PI);
  const dist = rng.range(6, 10);
  const dx = Math.round(Math.cos(angle) * dist);
  const dy = Math.round(Math.sin(angle) * dist);
  const out = new Uint8Array(PIXELS_PER_IMAGE);
  for (let y = 0; y < N; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= N) continue;
    for (let x = 0; x < N; x++) {
      const sx = x - dx;
      if (sx >= 0 && sx < N) out[y * N + x] = digit[sy * N + sx]!; // sx, sy inside N x N
    }
  }
  return out;
}
