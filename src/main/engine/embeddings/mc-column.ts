// The MC-dropout disagreement column of chosen rows, from what embedding kept: each row's
// unit embedding times its feature norm is the features the passes start from
// (model/mc-dropout.ts). Run on the rows being scored, so a two-phase scoring pays for the
// passes of the pool first and of the training samples in the background, as it does for
// the neighbour search; the value of a row does not depend on which phase computed it.
import { tf } from '../model/tf.js';
import type { Classifier } from '../model/classifier.js';
import { mcDisagreement } from '../scores/mc-disagreement.js';
import { expectIndices } from '../scores/validate.js';

const BATCH = 1024;

/** Whether the classifier has dropout Unsure can sample (else its column is NaN). */
export function canSampleDropout(c: Classifier): c is Classifier & Required<Pick<Classifier, 'mcPasses' | 'mcLogits'>> {
  return Boolean(c.mcLogits && c.mcPasses && c.mcPasses >= 2);
}

/**
 * Writes the disagreement of every row in `rows` into `out` (n values). `embeddings` is
 * n x dim unit vectors, `featureNorms` n divisors (embeddings/embed.ts).
 */
export async function mcColumnOf(
  classifier: Classifier,
  embeddings: Float32Array,
  featureNorms: Float32Array,
  dim: number,
  rows: ArrayLike<number>,
  out: Float32Array,
): Promise<void> {
  if (!canSampleDropout(classifier)) throw new Error('mcColumnOf: the model has no dropout to sample');
  const passes = classifier.mcPasses;
  const C = classifier.classes.length;
  if (embeddings.length !== featureNorms.length * dim || out.length !== featureNorms.length)
    throw new Error(
      `mcColumnOf: ${embeddings.length} embedding values, ${featureNorms.length} norms, ${out.length} outputs (dim ${dim})`,
    );
  // With these checks every index below is in range: rows are rows of featureNorms, and
  // embeddings holds dim values per row.
  expectIndices(rows, featureNorms.length, 'mcColumnOf rows');
  // Fixed batch shape (the last batch padded with zeros), as in embedImages: every new
  // shape makes oneDNN build new kernels.
  const buf = new Float32Array(BATCH * dim);
  for (let start = 0; start < rows.length; start += BATCH) {
    const m = Math.min(BATCH, rows.length - start);
    buf.fill(0);
    for (let j = 0; j < m; j++) {
      const r = rows[start + j]!;
      const s = featureNorms[r]!;
      for (let d = 0; d < dim; d++) buf[j * dim + d] = embeddings[r * dim + d]! * s;
    }
    const probsT = tf.tidy(() => {
      const logits = classifier.mcLogits(tf.tensor2d(buf, [BATCH, dim]));
      return tf.reshape(tf.softmax(tf.reshape(logits, [BATCH * passes, C])), [BATCH, passes * C]);
    });
    const probs = ((await probsT.data()) as Float32Array).subarray(0, m * passes * C);
    probsT.dispose();
    const s = mcDisagreement(probs, passes, C); // m values
    for (let j = 0; j < m; j++) out[rows[start + j]!] = s[j]!;
  }
}
