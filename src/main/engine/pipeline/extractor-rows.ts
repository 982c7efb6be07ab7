// An extractor's part of an open: the shipped backbone or a user's model turns every sample
// into a row (cached in the project folder by sample id), reported as the open's 'features'
// phase with an ETA. Rows of a digit-look recipe are the stored pixels themselves.
import type { EngineProgress, OpenResult } from '../engine-types.js';
import type { Extractor } from '../model/extractor.js';
import { bytesPerImage, DatasetError, DIGIT_SHAPE, describeShape, type InputLimits } from '../types.js';
import { extractRows, type ExtractedRows } from './extract-rows.js';
import { recipeDecoder } from './extract-decode.js';

export async function rowsOf(
  opened: Omit<OpenResult, 'recipe'>,
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
