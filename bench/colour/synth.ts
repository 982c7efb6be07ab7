// Seeded generators of the far distractor kinds, as raw RGB (h x w x 3) for sharp to encode:
// images from another domain altogether (patterns, noise, flat colour with shapes). Also
// used, at 224 x 224, for the memory benchmark's photo-like images.
export type Rng = () => number;
export type Rgb = [number, number, number];

export function randomColour(rng: Rng): Rgb {
  return [Math.floor(rng() * 256), Math.floor(rng() * 256), Math.floor(rng() * 256)];
}

function put(px: Uint8Array, i: number, c: Rgb): void {
  px[i * 3] = c[0];
  px[i * 3 + 1] = c[1];
  px[i * 3 + 2] = c[2];
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Stripes at a random angle and period, a checkerboard, or a linear/radial gradient. */
export function pattern(rng: Rng, w: number, h: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  const a = randomColour(rng);
  const b = randomColour(rng);
  const kind = Math.floor(rng() * 4);
  const angle = rng() * Math.PI;
  const period = (2 + rng() * 10) * (w / 32);
  const cx = rng() * w;
  const cy = rng() * h;
  const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let c: Rgb;
      if (kind === 0) c = Math.floor((x * dx + y * dy) / period) % 2 === 0 ? a : b;
      else if (kind === 1) c = (Math.floor(x / period) + Math.floor(y / period)) % 2 === 0 ? a : b;
      else if (kind === 2) c = mix(a, b, Math.min(1, Math.max(0, ((x - cx) * dx + (y - cy) * dy) / w + 0.5)));
      else c = mix(a, b, Math.min(1, Math.hypot(x - cx, y - cy) / w));
      put(px, y * w + x, c);
    }
  return px;
}

/** Uniform noise per channel, or Gaussian noise around a random colour. */
export function noise(rng: Rng, w: number, h: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  const gaussian = rng() < 0.5;
  const mean = randomColour(rng);
  const sigma = 20 + rng() * 60;
  for (let i = 0; i < px.length; i++) {
    if (!gaussian) px[i] = Math.floor(rng() * 256);
    else {
      // Box-Muller; 1 - rng() keeps log away from 0.
      const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      px[i] = Math.max(0, Math.min(255, Math.round(mean[i % 3]! + sigma * g)));
    }
  }
  return px;
}

/** A flat background with one to four flat rectangles and discs. */
export function shapes(rng: Rng, w: number, h: number, bg: Rgb = randomColour(rng)): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) put(px, i, bg);
  const n = 1 + Math.floor(rng() * 4);
  for (let s = 0; s < n; s++) {
    const c = randomColour(rng);
    const disc = rng() < 0.5;
    const x0 = rng() * w;
    const y0 = rng() * h;
    const r = (0.1 + rng() * 0.3) * w;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const inside = disc ? Math.hypot(x - x0, y - y0) <= r : Math.abs(x - x0) <= r && Math.abs(y - y0) <= r * 0.7;
        if (inside) put(px, y * w + x, c);
      }
  }
  return px;
}

/** A 28 x 28 grey digit (white on black) upscaled bilinearly to size x size RGB. */
export function greyDigit(digit: Uint8Array, size: number): Uint8Array {
  const px = new Uint8Array(size * size * 3);
  const at = (x: number, y: number) => digit[Math.min(27, Math.max(0, y)) * 28 + Math.min(27, Math.max(0, x))]!;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const sx = ((x + 0.5) * 28) / size - 0.5;
      const sy = ((y + 0.5) * 28) / size - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const v =
        at(x0, y0) * (1 - fx) * (1 - fy) +
        at(x0 + 1, y0) * fx * (1 - fy) +
        at(x0, y0 + 1) * (1 - fx) * fy +
        at(x0 + 1, y0 + 1) * fx * fy;
      put(px, y * size + x, [v, v, v]);
    }
  return px;
}

/** Half of photo a and half of photo b (both size x size RGB), split across or down. */
export function straddle(a: Uint8Array, b: Uint8Array, size: number, across: boolean): Uint8Array {
  const px = new Uint8Array(size * size * 3);
  const half = size / 2;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      // The window [half, half + size) over a and b laid side by side (or stacked).
      const [u, v] = across ? [x + half, y] : [x, y + half];
      const fromB = across ? u >= size : v >= size;
      const src = fromB ? b : a;
      const [sx, sy] = fromB ? (across ? [u - size, v] : [u, v - size]) : [u, v];
      const i = (y * size + x) * 3;
      const j = (sy * size + sx) * 3;
      px[i] = src[j]!;
      px[i + 1] = src[j + 1]!;
      px[i + 2] = src[j + 2]!;
    }
  return px;
}
