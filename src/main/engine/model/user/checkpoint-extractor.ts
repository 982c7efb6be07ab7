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
      const floats = Float32Array.from(pixels.subarray(0, n * 784), (v) => UNIT_OF_BYTE[v]!);
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
