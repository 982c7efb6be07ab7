// A user's model's preprocessing, declared next to it in Hugging Face's
// preprocessor_config.json (the fields its image processors write) or given as the same
// fields by flags, turned into the Recipe that decodes the dataset for it. Unsure does not
// guess a model's input range: without a declaration only a 28 x 28 x 1 model is taken as
// today's digits (MNIST look, x / 255); anything else gets an error saying what to declare.
import { DIGITS_RECIPE } from '../../datasets/digits-recipe.js';
import path from 'node:path';
import type { Recipe, ResizePolicy } from '../../../../shared/recipe.js';
import { readJsonFile } from './read-json.js';

/** Hugging Face image-processor fields that Unsure reads; flags take the same names. */
export interface PreprocessSpec {
  do_resize?: boolean;
  /** {height, width}; {shortest_edge} (resized so, then centre-cropped to a square); or n for n x n. */
  size?: number | { height: number; width: number } | { shortest_edge: number };
  do_center_crop?: boolean;
  crop_size?: number | { height: number; width: number };
  do_rescale?: boolean;
  rescale_factor?: number;
  do_normalize?: boolean;
  image_mean?: number | number[];
  image_std?: number | number[];
}

/** The command-line flag of each field (parsed by preprocess-flags.ts), for the errors that ask for them. */
export const PREPROCESS_FLAGS: Record<keyof PreprocessSpec, string> = {
  do_resize: '--no-resize',
  size: '--size HxW',
  do_center_crop: '--center-crop',
  crop_size: '--crop-size HxW',
  do_rescale: '--no-rescale',
  rescale_factor: '--rescale-factor',
  do_normalize: '--no-normalize',
  image_mean: '--image-mean',
  image_std: '--image-std',
};

export const PREPROCESSOR_CONFIG = 'preprocessor_config.json';

/** What the model itself says about its input (null: not fixed by the model). */
export interface ModelInputSize {
  height: number | null;
  width: number | null;
  channels: 1 | 3;
  /** The model scales its own input (a Layers model starting with Rescaling): it takes bytes 0..255. */
  takesBytes?: boolean;
}

type Dims = { height: number; width: number };

const posInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

function dimsOf(v: unknown, field: string, where: string): Dims | { shortest_edge: number } {
  if (posInt(v)) return { height: v, width: v };
  const o = (v ?? {}) as Record<string, unknown>;
  if (posInt(o.height) && posInt(o.width)) return { height: o.height, width: o.width };
  if (posInt(o.shortest_edge)) return { shortest_edge: o.shortest_edge };
  throw new Error(`${where}: ${field} must be a whole number, {"height", "width"} or {"shortest_edge"}`);
}

function perChannel(v: unknown, field: string, channels: number, where: string): number[] {
  const xs = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(xs) || xs.length === 0 || !xs.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw new Error(`${where}: ${field} must be a number or a list of numbers, one per channel`);
  if (xs.length === 1) return Array.from({ length: channels }, () => xs[0] as number);
  if (xs.length !== channels)
    throw new Error(`${where}: ${field} has ${xs.length} values but the model takes ${channels} channel(s)`);
  return xs as number[];
}

/** Fields that say how pixel values are scaled; size alone does not. */
function declaresRange(s: PreprocessSpec): boolean {
  return ['do_rescale', 'rescale_factor', 'do_normalize', 'image_mean', 'image_std'].some(
    (k) => s[k as keyof PreprocessSpec] !== undefined,
  );
}

/** The folder's preprocessor_config.json, or null when there is none. */
export async function readPreprocessorConfig(dir: string): Promise<{ spec: PreprocessSpec; file: string } | null> {
  const file = path.join(dir, PREPROCESSOR_CONFIG);
  const json = await readJsonFile(file);
  if (json === undefined) return null;
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error(`${file}: expected a JSON object of image-processor fields`);
  return { spec: json as PreprocessSpec, file };
}

/** The digits recipe a 28 x 28 x 1 model gets without a declaration: today's behaviour. */
export function legacyDigitsRecipe(): Recipe {
  return { ...DIGITS_RECIPE, name: 'model' };
}

export function missingPreprocessError(dir: string, inputDesc: string, needSize: boolean): Error {
  const f = PREPROCESS_FLAGS;
  return new Error(
    `${dir}: cannot tell how the model's input ${inputDesc} is scaled (0..1, 0..255, or normalised). Declare it: ` +
      `put a ${PREPROCESSOR_CONFIG} beside the model with Hugging Face's image-processor fields ` +
      `"do_rescale", "rescale_factor" (1/255 is 0.00392156862745098), "do_normalize", "image_mean", "image_std"` +
      `${needSize ? ' and "size": {"height": H, "width": W} (the model does not fix its input size)' : ''}, ` +
      `or pass the flags ${f.rescale_factor}, ${f.image_mean} and ${f.image_std}${needSize ? ` and ${f.size}` : ''}`,
  );
}

export interface RecipeChoice {
  recipe: Recipe;
  notes: string[];
}

/**
 * The recipe for a model whose input is `model`, from the folder's config overlaid with the
 * flags (flags win). `dir` and `inputDesc` name the model in errors.
 */
export function recipeFor(
  dir: string,
  inputDesc: string,
  model: ModelInputSize,
  config: { spec: PreprocessSpec; file: string } | null,
  flags: PreprocessSpec | undefined,
): RecipeChoice {
  const flagSpec = Object.fromEntries(Object.entries(flags ?? {}).filter(([, v]) => v !== undefined));
  const hasFlags = Object.keys(flagSpec).length > 0;
  let spec: PreprocessSpec = { ...(config?.spec ?? {}), ...flagSpec };
  const notes: string[] = [];
  const digitsShape = model.height === 28 && model.width === 28 && model.channels === 1;
  const noSize = spec.size === undefined && spec.crop_size === undefined;
  if (!config && !declaresRange(spec) && model.takesBytes) {
    if (digitsShape && noSize)
      return {
        recipe: { ...legacyDigitsRecipe(), rescale: 1 },
        notes: ['a 28 x 28 x 1 model that rescales: digits, as bytes'],
      };
    spec = { ...spec, do_rescale: false, do_normalize: false };
    notes.push('the model rescales its own input (its first layer is Rescaling): fed bytes 0..255');
  }
  const where = [config?.file, hasFlags ? 'the preprocessing flags' : null].filter(Boolean).join(' with ') || dir;
  if (!config && !declaresRange(spec) && !model.takesBytes) {
    if (digitsShape && noSize)
      return {
        recipe: legacyDigitsRecipe(),
        notes: ['no preprocessing declared: a 28 x 28 x 1 model is fed digits, x / 255'],
      };
    throw missingPreprocessError(dir, inputDesc, model.height === null || model.width === null);
  }
  const size = spec.size === undefined ? null : dimsOf(spec.size, 'size', where);
  const crop =
    spec.crop_size === undefined || spec.do_center_crop === false ? null : dimsOf(spec.crop_size, 'crop_size', where);
  if (crop && 'shortest_edge' in crop) throw new Error(`${where}: crop_size must be {"height", "width"} or a number`);
  let target: Dims | null = crop;
  let resize: ResizePolicy = crop ? 'crop' : 'stretch';
  if (!target && size && spec.do_resize !== false) {
    if ('shortest_edge' in size) {
      target = { height: size.shortest_edge, width: size.shortest_edge };
      resize = 'crop';
    } else target = size;
  }
  if (crop && size && 'shortest_edge' in size && size.shortest_edge !== Math.min(crop.height, crop.width))
    notes.push(
      `the processor resizes the shortest edge to ${size.shortest_edge} then crops ${crop.height} x ${crop.width}; ` +
        `Unsure crops the centre at ${crop.height} x ${crop.width} directly, so a little more of each image is seen`,
    );
  const fixed = model.height !== null && model.width !== null ? { height: model.height, width: model.width } : null;
  if (fixed && target && (fixed.height !== target.height || fixed.width !== target.width))
    throw new Error(
      `${where}: declares a ${target.height} x ${target.width} input but the model takes ${fixed.height} x ${fixed.width}`,
    );
  const input = fixed ?? target;
  if (!input)
    throw new Error(
      `${where}: the model does not fix its input size: declare "size": {"height": H, "width": W} (or ${PREPROCESS_FLAGS.size})`,
    );
  const rescale = spec.do_rescale === false ? 1 : (spec.rescale_factor ?? 1 / 255);
  if (typeof rescale !== 'number' || !Number.isFinite(rescale) || rescale <= 0)
    throw new Error(`${where}: rescale_factor must be a positive number`);
  const normalise = spec.do_normalize ?? (spec.image_mean !== undefined || spec.image_std !== undefined);
  let mean = Array.from({ length: model.channels }, () => 0);
  let std = Array.from({ length: model.channels }, () => 1);
  if (normalise) {
    // Processors differ in their defaults (ImageNet's, or 0.5), so they must be stated.
    if (spec.image_mean === undefined || spec.image_std === undefined)
      throw new Error(`${where}: do_normalize needs both "image_mean" and "image_std" (one value or one per channel)`);
    mean = perChannel(spec.image_mean, 'image_mean', model.channels, where);
    std = perChannel(spec.image_std, 'image_std', model.channels, where);
    if (std.some((s) => s <= 0)) throw new Error(`${where}: image_std must be positive`);
  }
  return {
    recipe: {
      name: 'model',
      // 2: images no larger than the input are scaled up by TensorFlow (datasets/photo-upscale.ts).
      version: 2,
      input: { height: input.height, width: input.width, channels: model.channels },
      resize,
      // Hugging Face's convert_rgb composites transparent pixels on white.
      background: [255, 255, 255],
      digitLook: false,
      rescale,
      mean,
      std,
    },
    notes: [`preprocessing from ${model.takesBytes && !config && !hasFlags ? 'the model' : where}`, ...notes],
  };
}
