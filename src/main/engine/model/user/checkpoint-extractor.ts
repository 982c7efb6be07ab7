// An Unsure checkpoint given as a user's model: our 28 x 28 x 1 CNN, fed today's digits.
import { tf } from '../tf.js';
import type { Extractor, ExtractorOutput } from '../extractor.js';
import { loadCheckpoint } from '../checkpoint.js';
import { UNIT_OF_BYTE } from '../pixel-scale.js';
import { legacyDigitsRecipe } from './preprocess.js';
import { modelId } from './model-hash.js';

export async function checkpointExtractor(dir: string): Promise<Extractor & { classes: string[] }> {
  const { model } = await loadCheckpoint(dir);
  const recipe = legacyDigitsRecipe();
  return {
    id: await modelId(dir, 'unsure', recipe),
    recipe,
    featureDim: model.embeddingDim,
    classes: model.classes,
    notes: ['Unsure checkpoint: logits and 128-d penultimate (pre-ReLU) features'],
    run(pixels, n) {
      if (!Number.isInteger(n) || n < 0 || pixels.length !== n * 784)
        throw new RangeError(`${dir}: run() got ${pixels.length} bytes for ${n} images of 784 bytes`);
      const floats = Float32Array.from(pixels, (v) => UNIT_OF_BYTE[v]!);
      let out: ExtractorOutput = { logits: null, features: null };
      tf.tidy(() => {
        const { logits, features } = model.forward(tf.tensor4d(floats, [n, 28, 28, 1]));
        out = {
          logits: logits.dataSync() as Float32Array,
          features: features ? (features.dataSync() as Float32Array) : null,
        };
      });
      return Promise.resolve(out);
    },
    dispose: () => model.dispose(),
  };
}
