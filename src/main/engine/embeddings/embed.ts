// Feature extraction: logits, L2-normalised penultimate features and (when the model gives
// them) low-level channel statistics for N images in one forward pass per batch. Normalising on the TensorFlow side means cosine similarity in
// the kNN index is a plain dot product.
import { tf } from '../model/tf.js';
import type { Classifier } from '../model/classifier.js';
import { asInputs, batchShape, copyRow, rowCount, rowLength, type ModelInputs } from '../model/inputs.js';
import { itemAt } from '../../../shared/checked-index.js';

export interface Embedded {
  n: number;
  numClasses: number;
  /** n * numClasses raw logits. */
  logits: Float32Array;
  /** n * dim unit-norm features; null when the model exposes none. */
  embeddings: Float32Array | null;
  /**
   * n: what each row's features were divided by (their L2 norm + 1e-12), so that
   * embeddings * featureNorms gives the features back (to float rounding). The MC-dropout
   * passes need them (embeddings/mc-column.ts) and can then run later, on the rows being
   * scored, without embedding again. Null with embeddings.
   */
  featureNorms: Float32Array | null;
  dim: number;
  /** n * lowLevelDim first-layer channel statistics (model/channel-stats.ts); null when the model gives none. */
  lowLevel: Float32Array | null;
  lowLevelDim: number;
}

export interface EmbedOptions {
  batchSize?: number;
  /** Which rows (indices into the inputs); default all. */
  indices?: ArrayLike<number>;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** inputs: a model's input rows, or a bare buffer of the digits recipe's pixels. */
export async function embedImages(
  model: Classifier,
  inputs: Uint8Array | ModelInputs,
  opts: EmbedOptions = {},
): Promise<Embedded> {
  const x = asInputs(inputs);
  const row = rowLength(x);
  const total = opts.indices ? opts.indices.length : rowCount(x);
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 1024, total));
  const C = model.classes.length;
  const dim = model.embeddingDim;
  const logits = new Float32Array(total * C);
  const embeddings = dim > 0 ? new Float32Array(total * dim) : null;
  const featureNorms = dim > 0 ? new Float32Array(total) : null;
  const lowDim = model.lowLevelDim ?? 0;
  const lowLevel = lowDim > 0 ? new Float32Array(total * lowDim) : null;
  const buf = new Float32Array(batchSize * row);
  for (let start = 0; start < total; start += batchSize) {
    if (opts.signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
    const m = Math.min(batchSize, total - start);
    // start + i < total = indices.length; copyRow checks the row is inside the inputs.
    for (let i = 0; i < m; i++) copyRow(x, opts.indices ? opts.indices[start + i]! : start + i, buf, i * row);
    // The last, shorter batch is padded to the full batch size: every new input shape makes
    // oneDNN build new kernels, which costs more than computing the padding rows.
    if (m < batchSize) buf.fill(0, m * row);
    let gaveFeatures = false;
    const outs = tf.tidy(() => {
      const out = model.forward(tf.tensor(buf, batchShape(x, batchSize)));
      if (out.logits.shape[1] !== C) {
        throw new Error(`model returned ${out.logits.shape[1]} outputs for ${C} classes`);
      }
      // Epsilon keeps an all-zero ReLU vector (possible for far-off inputs) finite.
      const norms = out.features && dim > 0 ? tf.add(tf.norm(out.features, 'euclidean', 1, true), 1e-12) : null;
      const f = out.features && norms ? tf.div(out.features, norms) : null;
      if (lowLevel && !out.lowLevel) throw new Error(`model announced ${lowDim} low-level statistics but gave none`);
      if (lowLevel && out.lowLevel && out.lowLevel.shape[1] !== lowDim)
        throw new Error(`model gave ${out.lowLevel.shape[1]} low-level statistics, announced ${lowDim}`);
      const keep: tf.Tensor[] = [out.logits];
      if (f && norms) keep.push(f, norms);
      gaveFeatures = f !== null;
      if (lowLevel && out.lowLevel) keep.push(out.lowLevel);
      return keep;
    });
    const lt = itemAt(outs, 0, 'embedImages outputs');
    const ft = gaveFeatures ? outs[1] : undefined;
    const nt = gaveFeatures ? outs[2] : undefined;
    const st = lowLevel ? outs[gaveFeatures ? 3 : 1] : undefined;
    logits.set(((await lt.data()) as Float32Array).subarray(0, m * C), start * C);
    if (ft && embeddings) embeddings.set(((await ft.data()) as Float32Array).subarray(0, m * dim), start * dim);
    if (nt && featureNorms) featureNorms.set(((await nt.data()) as Float32Array).subarray(0, m), start);
    if (st && lowLevel) lowLevel.set(((await st.data()) as Float32Array).subarray(0, m * lowDim), start * lowDim);
    lt.dispose();
    ft?.dispose();
    nt?.dispose();
    st?.dispose();
    opts.onProgress?.(start + m, total);
  }
  return {
    n: total,
    numClasses: C,
    logits,
    embeddings,
    featureNorms,
    dim: embeddings ? dim : 0,
    lowLevel,
    lowLevelDim: lowLevel ? lowDim : 0,
  };
}
