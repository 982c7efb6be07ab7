// An extractor's part of an open: the shipped backbone or a user's model turns every sample
// into a row (cached in the project folder by sample id), reported as the open's 'features'
// phase with an ETA. Rows of a digit-look recipe are the stored pixels themselves.
import path from 'node:path';
import type { EngineProgress, OpenResult, OpenSpec } from '../engine-types.js';
import type { Extractor } from '../model/extractor.js';
import type { ModelInputs } from '../model/inputs.js';
import { BACKBONE_INPUT_SIZE, photoRecipe } from '../model/backbone.js';
import type { UserExtractor } from '../model/user/load.js';
import { classMismatch } from '../model/user-model.js';
import { DIGITS_RECIPE } from '../datasets/digits-recipe.js';
import { bytesPerImage, DatasetError, DIGIT_SHAPE, describeShape, type InputLimits } from '../types.js';
import type { Recipe } from '../../../shared/recipe.js';
import { extractRows, type ExtractedRows } from './extract-rows.js';
import { recipeDecoder } from './extract-decode.js';
import { openBackbone } from './open-backbone.js';
import type { GivenModelRows } from './given-model.js';
import type { RowSource } from './train-head-model.js';

type Opened = Omit<OpenResult, 'recipe'>;

/**
 * What the model is fed after an open: the stored pixels (the CNN), or the backbone's rows for
 * photos (unless spec.extract is false: a user's model or a file will give them).
 */
export async function openedInputs(
  opened: Opened,
  spec: OpenSpec,
  onProgress: (p: EngineProgress) => void,
): Promise<{ inputs: ModelInputs; rowSource: RowSource | null; recipe: Recipe; notes: string[] }> {
  const photos = opened.family.arch === 'backbone';
  if (!photos || spec.extract === false)
    return {
      inputs: { kind: 'pixels', shape: opened.shape, data: opened.pixels },
      rowSource: null,
      recipe: photos ? photoRecipe(BACKBONE_INPUT_SIZE) : DIGITS_RECIPE,
      notes: [],
    };
  const backbone = await openBackbone(spec);
  try {
    const rows = await rowsOf(opened, backbone, spec, onProgress);
    const source = { id: backbone.id, recipe: backbone.recipe };
    return {
      inputs: {
        kind: 'features',
        dim: rows.dim,
        data: rows.features,
        ...(backbone.knnCols ? { knnCols: backbone.knnCols } : {}),
      },
      rowSource: source,
      recipe: source.recipe,
      notes: backbone.notes,
    };
  } finally {
    backbone.dispose();
  }
}

/** A user's model run over every sample: its logits and features as given rows. Disposes ext. */
export async function userModelRows(
  dir: string,
  ext: UserExtractor,
  labels: readonly (string | null)[],
  opened: Opened,
  opts: { projectDir: string; limits?: Partial<InputLimits> },
  onProgress: (p: EngineProgress) => void,
): Promise<GivenModelRows> {
  let rows: ExtractedRows;
  try {
    const mismatch = classMismatch(ext.classes, labels);
    if (mismatch) throw new DatasetError(`Model ${path.resolve(dir)}: ${mismatch}`);
    rows = await rowsOf(opened, ext, opts, onProgress);
  } finally {
    ext.dispose();
  }
  return {
    id: ext.id,
    recipe: ext.recipe,
    classes: ext.classes,
    logits: rows.logits ?? rows.features,
    features: ext.featureDim > 0 ? rows.features : null,
    dim: rows.dim,
  };
}

export async function rowsOf(
  opened: Opened,
  extractor: Extractor,
  opts: { projectDir: string; limits?: Partial<InputLimits> },
  onProgress: (p: EngineProgress) => void,
): Promise<ExtractedRows> {
  const { samples, pixels, shape } = opened;
  let decode = recipeDecoder(samples, opened, extractor.recipe, opts.limits);
  if (extractor.recipe.digitLook) {
    // The MNIST look is what the stored 28 x 28 grey pixels already are.
    if (bytesPerImage(shape) !== bytesPerImage(DIGIT_SHAPE) || shape.channels !== 1)
      throw new DatasetError(
        `The model takes 28 x 28 grey digit-like images, and this dataset's images are stored as ${describeShape(shape)} (photos)`,
      );
    const size = bytesPerImage(shape);
    decode = (rows) => {
      const out = new Uint8Array(rows.length * size);
      rows.forEach((i, r) => out.set(pixels.subarray(i * size, (i + 1) * size), r * size));
      return Promise.resolve(out);
    };
  }
  return extractRows(
    samples.map((s) => s.id),
    extractor,
    {
      projectDir: opts.projectDir,
      decode,
      onProgress: (done, total, etaSec) =>
        onProgress({
          task: 'open',
          phase: 'features',
          fraction: total > 0 ? done / total : 1,
          ...(etaSec !== undefined ? { etaSec } : {}),
          message: `Computing image features: ${done}/${total}`,
        }),
    },
  );
}
