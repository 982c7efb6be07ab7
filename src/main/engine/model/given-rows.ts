// A classifier whose outputs were computed before scoring: a user's model run once per sample
// (model/user/), or predictions imported from a file. Each input row is [features | logits];
// forward slices them apart, so the scoring pipeline treats it as any other model.
import { tf } from './tf.js';
import type { Classifier } from './classifier.js';
import type { ModelInputs } from './inputs.js';

export class GivenRowsClassifier implements Classifier {
  readonly embeddingDim: number;

  /** @param featureDim length of the features part of a row; 0 when there are none (logits stand in). */
  constructor(
    readonly classes: string[],
    readonly featureDim: number,
  ) {
    this.embeddingDim = featureDim > 0 ? featureDim : classes.length;
  }

  forward(x: tf.Tensor): { logits: tf.Tensor2D; features: tf.Tensor2D } {
    const C = this.classes.length;
    if (x.rank !== 2 || x.shape[1] !== this.featureDim + C)
      throw new Error(`given rows: expected [n, ${this.featureDim} + ${C}], got [${x.shape}]`);
    const rows = x as tf.Tensor2D;
    const logits = tf.slice(rows, [0, this.featureDim], [-1, C]);
    const features = this.featureDim > 0 ? tf.slice(rows, [0, 0], [-1, this.featureDim]) : logits;
    return { logits, features };
  }

  dispose(): void {}
}

/** Rows [features | logits] for GivenRowsClassifier: n rows of dim + C values. */
export function givenRows(
  logits: Float32Array,
  features: Float32Array | null,
  dim: number,
  C: number,
): Extract<ModelInputs, { kind: 'features' }> {
  const n = logits.length / C;
  const d = features ? dim : 0;
  if (!Number.isInteger(n) || (features && features.length !== n * dim))
    throw new Error(`given rows: ${logits.length} logits and ${features?.length ?? 0} features do not make rows`);
  const data = new Float32Array(n * (d + C));
  for (let i = 0; i < n; i++) {
    if (features) data.set(features.subarray(i * d, (i + 1) * d), i * (d + C));
    data.set(logits.subarray(i * C, (i + 1) * C), i * (d + C) + d);
  }
  return { kind: 'features', dim: d + C, data };
}
