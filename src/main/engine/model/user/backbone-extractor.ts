// A user's model of any format (tfjs Layers or graph, SavedModel, ONNX) as the backbone: its
// features, or its logits where it names no features, are the rows a head trains on for the
// dataset's own classes. The model's classes are not used and the model is never changed.
// (resolveBackbone has already refused Unsure's own checkpoints: they are classifiers.)
import type { Extractor } from '../extractor.js';
import { loadUserExtractor } from './load.js';
import type { PreprocessSpec } from './preprocess.js';

export async function loadBackboneExtractor(dir: string, preprocess?: PreprocessSpec): Promise<Extractor> {
  const ext = await loadUserExtractor(dir, {
    fallbackClasses: [],
    unnamedClasses: true,
    ...(preprocess ? { preprocess } : {}),
  });
  const rowsAreLogits = ext.featureDim === 0;
  return {
    // Its own id: the same model run as a classifier (--model) caches logits beside features.
    id: `${ext.id}:backbone`,
    recipe: ext.recipe,
    featureDim: rowsAreLogits ? ext.classes.length : ext.featureDim,
    classes: null,
    notes: [...ext.notes, "used as the backbone: a head is trained on these rows for the dataset's classes"],
    async run(pixels, n) {
      const out = await ext.run(pixels, n);
      return { features: rowsAreLogits ? out.logits : out.features, logits: null };
    },
    dispose: () => ext.dispose(),
  };
}
