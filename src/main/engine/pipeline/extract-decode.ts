// Decoding for the extractor's stage (extract-rows.ts): a batch of samples decoded with the
// extractor's recipe, from their files (sharp, datasets/photo-decode.ts) or, for samples
// without one (IDX records, the demo), from their stored image.
import type { Recipe } from '../../../shared/recipe.js';
import { decodePhotos, photoTargetOf } from '../datasets/photo-decode.js';
import { renderRaw } from '../datasets/photo-sharp.js';
import { bytesPerImage, DatasetError, type ImageShape, type InputLimits } from '../types.js';
import { itemAt } from '../../../shared/checked-index.js';

export interface DecodeSource {
  path: string;
  /** Resolved in-root file, or null for a stored image only. */
  file: string | null;
}

export function recipeDecoder(
  samples: readonly DecodeSource[],
  stored: { pixels: Uint8Array; shape: ImageShape },
  recipe: Recipe,
  limits?: Partial<InputLimits>,
): (rows: readonly number[]) => Promise<Uint8Array> {
  const target = photoTargetOf(recipe);
  const size = bytesPerImage(recipe.input);
  const storedSize = bytesPerImage(stored.shape);
  return async (rows) => {
    const out = new Uint8Array(rows.length * size);
    const withFile: number[] = [];
    await Promise.all(
      rows.map(async (i, r) => {
        const s = itemAt(samples, i, 'samples');
        if (s.file !== null) return void withFile.push(r);
        const [px] = await renderRaw(
          {
            data: stored.pixels.subarray(i * storedSize, (i + 1) * storedSize),
            width: stored.shape.width,
            height: stored.shape.height,
            channels: stored.shape.channels,
          },
          [target],
        );
        out.set(px!, r * size);
      }),
    );
    if (withFile.length === 0) return out;
    const files = withFile.map((r) => {
      const s = itemAt(samples, itemAt(rows, r, 'rows'), 'samples');
      return { file: s.file!, name: s.path };
    });
    const d = await decodePhotos(files, [target], { limits });
    const [failure] = d.failures;
    // These files decoded when the dataset was opened: one that fails now changed since.
    if (failure)
      throw new DatasetError(
        `${itemAt(files, failure.index, 'files').name} ${failure.reason} (it changed since it was opened)`,
      );
    const decoded = itemAt(d.outputs, 0, 'decoded');
    withFile.forEach((r, k) => out.set(decoded.subarray(k * size, (k + 1) * size), r * size));
    return out;
  };
}
