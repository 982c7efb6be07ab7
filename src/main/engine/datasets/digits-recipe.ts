// The digits recipe: what the loaders have always made of small grey images (decode-files.ts,
// image-decode.ts, normalise.ts), written down so the project records it and the UI shows it.
import type { Recipe } from '../../../shared/recipe.js';
import { IMAGE_SIZE } from '../types.js';

export const DIGITS_RECIPE: Recipe = {
  name: 'digits',
  version: 1,
  input: { height: IMAGE_SIZE, width: IMAGE_SIZE, channels: 1 },
  resize: 'stretch',
  background: [0, 0, 0],
  digitLook: true,
  rescale: 1 / 255,
  mean: [0],
  std: [1],
};
