// Plain data passed between the engine's stages (dataset -> model -> scores -> queue).
// Nothing here touches tfjs or electron, so every stage can be tested on its own.

/** The digits recipe's stored image (model/cnn.ts and datasets/normalise.ts): 28 x 28, one grey channel. */
export const IMAGE_SIZE = 28;
export const PIXELS_PER_IMAGE = IMAGE_SIZE * IMAGE_SIZE;

/** Image `i` of a packed n * 784 byte array: a view, not a copy. */
export function imageAt(pixels: Uint8Array, i: number): Uint8Array {
  return pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE);
}

/** The shape of one stored image row: height x width x channels bytes, row-major, channels last. */
export interface ImageShape {
  height: number;
  width: number;
  channels: 1 | 3;
}

export const DIGIT_SHAPE: ImageShape = { height: IMAGE_SIZE, width: IMAGE_SIZE, channels: 1 };

export function bytesPerImage(shape: ImageShape): number {
  return shape.height * shape.width * shape.channels;
}

export function describeShape(shape: ImageShape): string {
  return `${shape.height} x ${shape.width} ${shape.channels === 1 ? 'grey' : 'RGB'}`;
}

/** A file's image as it is on disk, before any recipe. */
export interface NativeSize {
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA or CMYK. */
  channels: number;
}

export type DatasetKind = 'folder' | 'images' | 'csv' | 'idx' | 'demo';

export interface Sample {
  /** Stable id: hash of the file's bytes, or of the IDX record (decisions survive renames). */
  id: string;
  /** As shown and exported: relative to the dataset root, as written in a CSV, or `idx:<n>`. */
  path: string;
  /** Given label, or null when unlabeled. The label 'other' is the "other" class. */
  label: string | null;
  /** Absolute path of the original file, or null for IDX records and generated samples. */
  file: string | null;
  /** The file's own size and channels, when known (files decoded by the photo path). */
  size?: NativeSize;
  /** Demo only: what generated it ('mnist', 'missegmented', 'scribble', 'noise', 'fashion', ...). */
  origin?: string;
}

export interface LoadedDataset {
  kind: DatasetKind;
  /** Absolute root folder (the CSV's folder for a manifest); '' for the demo. */
  root: string;
  samples: Sample[];
  /**
   * samples.length stored images of `shape`, bytes 0..255, row-major, channels last. The
   * digits recipe stores the model's 28 x 28 grey input, light ink on a dark background as in
   * MNIST (dark-on-light images are inverted when loaded); the photo recipe stores previews.
   */
  pixels: Uint8Array;
  shape: ImageShape;
  /** Sorted labels present, 'other' excluded. */
  classes: string[];
  /**
   * Samples whose bytes came from more than one file, each with all its files: a sample is
   * the content (its id, pixels and scores are stored once), every file still gets its row.
   */
  copies: CopyGroup[];
  /** IDX source files when kind === 'idx' (export writes IDX back). */
  idx?: { images: string; labels: string | null };
  /** Files refused one by one (unreadable, over the limits, a link out of the root...), in dataset order. */
  skipped: SkippedFile[];
}

/** One file of a sample that several files share. */
export interface CopyFile {
  path: string;
  /** Absolute path of the file, or null for IDX records and generated samples. */
  file: string | null;
  /** The label this file was given (its class folder, its manifest row); null when unlabeled. */
  label: string | null;
  /** The file's place in its dataset's load order (skipped files not counted). */
  at: number;
}

/** The files of one sample whose bytes appear more than once, in load order. */
export interface CopyGroup {
  /** Index into samples; files[0] is that sample's own path. */
  sample: number;
  files: CopyFile[];
  /**
   * The files were given different labels (an unlabeled file agrees with any): the sample's
   * label is null, so training takes neither until a reviewer decides.
   */
  conflict: boolean;
}

/** One input file that was left out of a dataset, and why. */
export interface SkippedFile {
  /** As the user knows it: the path relative to the dataset root, or the manifest row. */
  path: string;
  /** What is wrong, in plain words ("larger than the 100-megapixel limit: 20000 x 20000"). */
  reason: string;
}

/** Limits on each input file, so one hostile file cannot take the machine down. */
export interface InputLimits {
  /** Width x height above which an image is refused before it is decoded. */
  maxPixels: number;
  /** File size above which a file is refused before it is read. */
  maxFileBytes: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxPixels: 100_000_000, maxFileBytes: 200 * 1024 * 1024 };

/** Thrown for bad input; the message names the file and the problem. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}
