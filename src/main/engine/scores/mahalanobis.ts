// Class-conditional Gaussian distance (Lee et al. 2018): class means and one shared (tied)
// covariance fitted on the training embeddings of the known classes; a sample's score is its
// smallest squared Mahalanobis distance to a class mean. Unlike the kNN distance, it knows
// which directions the classes vary along, so a sample off in a direction no digit varies in
// looks far even when its cosine similarity to some neighbours is high. Scoring gives it
// the embedding joined with the first conv layer's channel statistics (192 dimensions for
// our CNN; pipeline/score-rows.ts, ood-score.ts for why).
//
// The covariance is shrunk towards a multiple of the identity by the Ledoit-Wolf amount: 192
// dimensions from a few hundred samples would otherwise give a singular or noisy inverse.
import { tf } from '../model/tf.js';
import { entryOf } from '../../../shared/checked-index.js';
import { expectLength, rowCount } from './validate.js';

export interface TiedGaussian {
  dim: number;
  /** Classes that had training vectors, in increasing order. */
  classes: Int32Array;
  /** classes.length x dim class means. */
  means: Float32Array;
  /** dim x dim inverse of the shrunk shared covariance. */
  precision: Float32Array;
  /** Ledoit-Wolf weight of the identity target, in [0, 1]. */
  shrinkage: number;
}

/**
 * Fits class means and the shrunk shared covariance. `classOf[i]` is row i's class (>= 0), or
 * -1 to leave the row out.
 */
export function fitTiedGaussian(vectors: Float32Array, dim: number, classOf: Int32Array): TiedGaussian {
  const n = rowCount(vectors, dim, 'fitTiedGaussian: vectors');
  if (classOf.length !== n) throw new Error(`fitTiedGaussian: classOf has ${classOf.length} entries for ${n} vectors`);
  const rows: number[] = [];
  const rowClass: number[] = [];
  classOf.forEach((c, i) => {
    if (c < 0) return;
    rows.push(i);
    rowClass.push(c);
  });
  if (rows.length < 2) throw new Error(`fitTiedGaussian: needs at least 2 class-labelled vectors, got ${rows.length}`);
  const classes = Int32Array.from(new Set(rowClass)).sort();
  const slot = new Map(Array.from(classes, (c, j) => [c, j]));
  const seg = Int32Array.from(rowClass, (c) => entryOf(slot, c, 'fitTiedGaussian class slots'));

  // The tensors leave the tidy and are read after it: tf.tidy walks what its callback returns
  // element by element, and a typed array of dim x dim values took a second to walk.
  const fitted = tf.tidy(() => {
    const X = tf.tensor2d(vectors, [n, dim]).gather(tf.tensor1d(Int32Array.from(rows), 'int32'));
    const segT = tf.tensor1d(seg, 'int32');
    const counts = tf.unsortedSegmentSum(tf.ones([rows.length]), segT, classes.length).reshape([-1, 1]);
    const M = tf.unsortedSegmentSum(X, segT, classes.length).div(counts);
    const Xc = X.sub(M.gather(segT));
    const N = rows.length;
    const S = Xc.transpose().matMul(Xc).div(N);
    // Ledoit-Wolf: sum over rows of ||x x^T - S||_F^2 = |x|^4 - 2 x^T S x + ||S||_F^2.
    const sq = Xc.square().sum(1);
    const xSx = Xc.matMul(S).mul(Xc).sum(1);
    const b = sq
      .square()
      .sub(xSx.mul(2))
      .sum()
      .add(S.square().sum().mul(N))
      .div(N * N);
    return [M, S, b];
  });
  const [means, cov, beta] = [
    fitted[0]!.dataSync() as Float32Array,
    fitted[1]!.dataSync() as Float32Array,
    fitted[2]!.dataSync()[0]!, // b: a scalar
  ];
  tf.dispose(fitted);

  // cov is dim x dim, so the loops below over a, b < dim stay inside it.
  expectLength(cov, dim * dim, 'fitTiedGaussian: covariance');
  let trace = 0;
  for (let a = 0; a < dim; a++) trace += cov[a * dim + a]!;
  // A degenerate base (all vectors equal) still needs an invertible matrix.
  const mu = Math.max(trace / dim, 1e-12);
  let delta = 0;
  for (let a = 0; a < dim; a++)
    for (let b = 0; b < dim; b++) {
      const v = cov[a * dim + b]! - (a === b ? mu : 0);
      delta += v * v;
    }
  const shrinkage = delta > 0 ? Math.min(1, Math.max(0, beta / delta)) : 1;
  const shrunk = new Float64Array(dim * dim);
  for (let a = 0; a < dim; a++)
    for (let b = 0; b < dim; b++)
      shrunk[a * dim + b] = (1 - shrinkage) * cov[a * dim + b]! + (a === b ? shrinkage * mu : 0);
  return { dim, classes, means, precision: invertSpd(shrunk, dim), shrinkage };
}

/**
 * Rows are scored in blocks of this many, the last one padded: a matrix product's rounding
 * depends on its shape, and a row must score the same whether it is scored alone, in a first
 * pass or with every other row.
 */
export const MAHALANOBIS_BLOCK = 1024;
const SCORE_BLOCK = MAHALANOBIS_BLOCK;

/** Smallest squared Mahalanobis distance of every vector to a class mean. */
export function mahalanobisScore(model: TiedGaussian, vectors: Float32Array): Float32Array {
  const { dim, means, precision } = model;
  const n = rowCount(vectors, dim, 'mahalanobisScore: vectors');
  const C = model.classes.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  const block = new Float32Array(SCORE_BLOCK * dim);
  tf.tidy(() => {
    const M = tf.tensor2d(means, [C, dim]);
    // Centred on the mean of the class means: the expanded form below subtracts large,
    // nearly equal terms, which float32 handles better near the origin.
    const g = M.mean(0, true);
    const Mc = M.sub(g);
    const P = tf.tensor2d(precision, [dim, dim]);
    const mPm = Mc.matMul(P).mul(Mc).sum(1).reshape([1, C]);
    const McT = Mc.transpose();
    for (let start = 0; start < n; start += SCORE_BLOCK) {
      const m = Math.min(SCORE_BLOCK, n - start);
      block.fill(0);
      block.set(vectors.subarray(start * dim, (start + m) * dim));
      const d = tf.tidy(() => {
        const X = tf.tensor2d(block, [SCORE_BLOCK, dim]).sub(g);
        const XP = X.matMul(P);
        const xPx = XP.mul(X).sum(1, true);
        return xPx.sub(XP.matMul(McT).mul(2)).add(mPm).min(1).maximum(0).dataSync() as Float32Array;
      });
      out.set(d.subarray(0, m), start);
    }
  });
  return out;
}

/** The features have no spread to fit a covariance on. */
export class DegenerateCovariance extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DegenerateCovariance';
  }
}

/** Dimensions up to this are inverted in one piece in float64; larger ones by halves (lowerInverse). */
const LEAF = 256;

/**
 * Inverse of a symmetric positive definite matrix, as float32. Up to LEAF dimensions: Cholesky
 * in float64. Above it the halves are recursed into and joined by matrix products in
 * TensorFlow: at 1,280 dimensions float64 JS took 4-6 s and this under one. On the colour
 * bench's rows (covariance condition 5,000) the distances differ from float64's by under 1e-6
 * of their value, and no rank moves by more than one place (docs/colour-model.md).
 */
export function invertSpd(A: Float64Array, d: number): Float32Array {
  expectLength(A, d * d, 'invertSpd: matrix');
  if (d <= LEAF) return Float32Array.from(gram(leafLowerInverse(A, d), d));
  const P = tf.tidy(() => {
    const li = lowerInverse(tf.tensor2d(Float32Array.from(A), [d, d]));
    const p = tf.matMul(li, li, true, false);
    return tf.mul(tf.add(p, tf.transpose(p)), 0.5);
  });
  const out = P.dataSync() as Float32Array;
  P.dispose();
  return out;
}

/**
 * inv(L) for the Cholesky factor L of `a` (A = L L^T), in halves: with A11 = L11 L11^T,
 * L21 = A21 inv(L11)^T, and the rest S = A22 - L21 L21^T = L22 L22^T, inv(L) is
 * [[inv(L11), 0], [-inv(L22) L21 inv(L11), inv(L22)]]. Inside tf.tidy.
 */
function lowerInverse(a: tf.Tensor2D): tf.Tensor2D {
  const d = a.shape[0];
  if (d <= LEAF) return tf.tensor2d(Float32Array.from(leafLowerInverse(Float64Array.from(a.dataSync()), d)), [d, d]);
  const h = Math.ceil(d / 2);
  const li11 = lowerInverse(a.slice([0, 0], [h, h]));
  const l21 = tf.matMul(a.slice([h, 0], [d - h, h]), li11, false, true);
  const li22 = lowerInverse(tf.sub(a.slice([h, h], [d - h, d - h]), tf.matMul(l21, l21, false, true)) as tf.Tensor2D);
  const li21 = tf.neg(tf.matMul(tf.matMul(li22, l21), li11));
  return tf.concat([tf.concat([li11, tf.zeros([h, d - h])], 1), tf.concat([li21, li22], 1)], 0) as tf.Tensor2D;
}

/** inv(L) for the Cholesky factor L of A (d x d, float64). Every inner loop runs along a row. */
function leafLowerInverse(A: Float64Array, d: number): Float64Array {
  // A, L and Li are d x d, and every index below is (row < d) * d + (column < d).
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(s > 0))
          throw new DegenerateCovariance(
            'fitTiedGaussian: covariance is not positive definite: no class has two distinct training images (each class needs at least 3 images so that one can be held out)',
          );
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j]!;
    }
  }
  // Row i of inv(L) is -(the sum over k < i of L[i][k] times row k of inv(L)) / L[i][i].
  const Li = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const row = i * d;
    for (let k = 0; k < i; k++) {
      const a = L[row + k]!;
      if (a === 0) continue;
      const from = k * d;
      for (let j = 0; j <= k; j++) Li[row + j]! -= a * Li[from + j]!;
    }
    const inv = 1 / L[row + i]!;
    for (let j = 0; j < i; j++) Li[row + j]! *= inv;
    Li[row + i] = inv;
  }
  return Li;
}

/** Li^T Li for a lower-triangular Li (d x d): out[a][b] sums Li[k][a] Li[k][b] over rows k >= max(a, b). */
function gram(Li: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const from = k * d;
    for (let a = 0; a <= k; a++) {
      const v = Li[from + a]!;
      if (v === 0) continue;
      const to = a * d;
      for (let b = a; b <= k; b++) out[to + b]! += v * Li[from + b]!;
    }
  }
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) out[b * d + a] = out[a * d + b]!;
  return out;
}
