// How images become a model's input: a named, versioned recipe that the project records and
// the UI shows. Both sides compile this file (no Node, no DOM).

/** How an image of another shape is brought to the model's input size. */
export type ResizePolicy = 'stretch' | 'fit' | 'crop';

/** The two model families: a small CNN trained end to end, or a frozen backbone with a trained head. */
export type ModelArch = 'cnn' | 'backbone';

export interface Recipe {
  /** 'digits' (small grey images, the MNIST look), 'photo' (the shipped backbone), or 'model' (a user's model). */
  name: string;
  /** Bumped whenever the same name starts giving other bytes: caches keyed by it go stale. */
  version: number;
  /** The model's input, one image. */
  input: { height: number; width: number; channels: 1 | 3 };
  /** stretch: to the size, ignoring aspect; fit: the whole image inside, padded; crop: the centre, filling. */
  resize: ResizePolicy;
  /** RGB 0..255 behind transparent pixels and in fit padding. */
  background: [number, number, number];
  /**
   * The MNIST look (datasets/normalise.ts): dark-on-light images inverted, the ink centred by
   * mass. One step of the digits recipe only; off for photos.
   */
  digitLook: boolean;
  /** What the model is fed per channel: (byte * rescale - mean[c]) / std[c]. */
  rescale: number;
  mean: number[];
  std: number[];
}

/** One line for the UI and the CLI: "photo v1: 224 x 224 RGB, fit, (x/255 - 0.5)/0.5". */
export function describeRecipe(r: Recipe): string {
  const colour = r.input.channels === 1 ? 'grey' : 'RGB';
  const look = r.digitLook ? ', digit look (inverted when dark on light, centred by mass)' : '';
  const scale =
    r.mean.every((m) => m === 0) && r.std.every((s) => s === 1)
      ? `x * ${+r.rescale.toPrecision(4)}`
      : `(x * ${+r.rescale.toPrecision(4)} - [${r.mean.join(', ')}]) / [${r.std.join(', ')}]`;
  return `${r.name} v${r.version}: ${r.input.height} x ${r.input.width} ${colour}, ${r.resize}${look}, ${scale}`;
}
