// Seeded randomness for everything the engine shuffles or splits, so the same seed gives
// the same model (Math.random cannot be seeded).

import { mulberry32 } from '../datasets/random.js';

/** The dataset layer's mulberry32: floats in [0, 1), the same sequence for the same seed. */
export const makeRng: (seed: number) => () => number = mulberry32;

/** Fisher-Yates in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(arr: T, rng: () => number): T {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = arr[i]!; // j <= i < arr.length
    arr[i] = arr[j]!;
    arr[j] = t;
  }
  return arr;
}
