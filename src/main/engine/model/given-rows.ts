// Predictions given instead of computed (`unsure score --pred-probs`) in the two shapes the
// pipeline takes: ExtractedRows (what an extractor's stage gives, pipeline/extract-rows.ts),
// and ModelInputs plus a Classifier that passes them through, so the score table scores them
// as it scores any model: each input row is [log p (C values) | features (D values)].
import type { ExtractedRows } from '../pipeline/extract-rows.js';
import type { ExternalRows } from '../pipeline/external-rows.js';
import type { Classifier } from './classifier.js';
import type { ModelInputs } from './inputs.js';
import type { tf } from './tf.js';

/** As extractRows gives them: the features, or the logits standing in when none were given. */
export function givenExtractedRows(rows: ExternalRows): ExtractedRows {
  const C = rows.classes.length;
  return rows.features
    ? { dim: rows.dim, features: rows.features, logitsDim: C, logits: rows.logits, cached: 0 }
    : { dim: C, features: rows.logits, logitsDim: C, logits: rows.logits, cached: 0 };
}

/** One input row per sample: its log p, then its features (if any). */
export function givenRowsInputs(rows: ExternalRows): ModelInputs {
  const C = rows.classes.length;
  const D = rows.features ? rows.dim : 0;
  const n = rows.logits.length / C;
  const data = new Float32Array(n * (C + D));
  for (let i = 0; i < n; i++) {
    data.set(rows.logits.subarray(i * C, (i + 1) * C), i * (C + D));
    if (rows.features) data.set(rows.features.subarray(i * D, (i + 1) * D), i * (C + D) + C);
  }
  return { kind: 'features', dim: C + D, data };
}

/** The Classifier of givenRowsInputs' rows: logits and features are sliced out, nothing is learned. */
export function givenRowsClassifier(rows: ExternalRows): Classifier {
  const C = rows.classes.length;
  const D = rows.features ? rows.dim : 0;
  return {
    classes: rows.classes,
    embeddingDim: D,
    forward(x: tf.Tensor) {
      const x2 = x as tf.Tensor2D;
      const logits = x2.slice([0, 0], [-1, C]);
      return { logits, features: D > 0 ? x2.slice([0, C], [-1, D]) : null };
    },
    dispose() {},
  };
}
