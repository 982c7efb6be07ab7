// The combined out-of-distribution score: the kNN distance (relative to the neighbours'), the
// Mahalanobis distance, energy and msp, each put on a common scale by the held-out
// in-distribution data, then combined; plus the model's own 'other' probability once it has
// that class.
//
// Fitted on held-out in-distribution samples ONLY. It never sees an outlier, so it cannot
// be tuned to the kinds of outliers at hand and has no reason to miss kinds it never saw.
import { expectLength } from './validate.js';
import { quantile, sortedReference, thresholdAtTpr } from './thresholds.js';

export interface OodComponents {
  /** 1 - similarity to the training neighbours (knn-distance.ts). */
  knnDistance: Float32Array;
  /**
   * knnDistance minus the mean knnDistance of the sample's own neighbours (knn-distance.ts,
   * knnExcess): how much farther out it lies than the training samples around it. Absent:
   * knnDistance takes its weight.
   */
  knnExcess?: Float32Array | null;
  /** Energy over the KNOWN classes' logits (energy.ts; the 'other' logit excluded). */
  energy: Float32Array;
  /** 1 - the largest KNOWN-class probability (equals msp while there is no 'other' class). */
  msp: Float32Array;
  /**
   * Smallest squared Mahalanobis distance to a class mean (mahalanobis.ts) of the joint
   * [embedding, channel statistics] vector, or absent when there are no features to fit it
   * on; then it takes no part, whatever its weight.
   */
  mahalanobis?: Float32Array | null;
}

export interface OodInputs extends OodComponents {
  /** Probability of the 'other' class, or null/absent when the model has none. */
  pOther?: Float32Array | null;
}

/** How a component is mapped to the common scale: (x - median) / (q95 - median). */
export interface TailScale {
  median: number;
  q95: number;
  spread: number;
}

export interface OodWeights {
  knnDistance: number;
  knnExcess: number;
  energy: number;
  msp: number;
  mahalanobis: number;
}

/**
 * knnExcess, the Mahalanobis distance and half-weight energy: the best worst-case AUROC over
 * the development distractor kinds at 20k and 60k (never the eval-only kinds). How each
 * round chose it, and what was tried and not taken: docs/score-selection/README.md.
 */
export const DEFAULT_OOD_WEIGHTS: Readonly<Partial<OodWeights>> = { knnExcess: 1, energy: 0.5, mahalanobis: 1 };

/**
 * A head on backbone features: energy weighs 2, not 0.5. On the colour development split
 * (CIFAR-10, deer and truck held out) ood_score AUROC over all kinds went 0.860 / 0.879 /
 * 0.888 at 0.5 / 1.5 / 3 (held-out classes 0.553 / 0.595 / 0.621, straddling windows 0.756 /
 * 0.813 / 0.838, far kinds >= 0.996 throughout); 2 sits inside that range rather than at its
 * edge (docs/colour-model.md). The CNN keeps DEFAULT_OOD_WEIGHTS.
 */
export const HEAD_OOD_WEIGHTS: Readonly<Partial<OodWeights>> = { ...DEFAULT_OOD_WEIGHTS, energy: 2 };

/** Components a weighting leaves out weigh 0. */
const NO_WEIGHTS: OodWeights = { knnDistance: 0, knnExcess: 0, energy: 0, msp: 0, mahalanobis: 0 };

/**
 * Energy and msp are clipped to [0, SUPPORT_CAP] on the common scale before combining:
 * below their in-distribution median they add nothing (a sample that scribbles a "0" with
 * huge logits must not cancel out its large feature distance), and far above it they cannot
 * outvote the feature distance on their own. The kNN and Mahalanobis distances are not clipped,
 * so the ranking among clear outliers stays that of the feature distances.
 */
export const SUPPORT_CAP = 3;

/**
 * Once a model has the 'other' class, a sample whose ood_score is this many threshold-to-median
 * spans past the threshold is called 'other' whatever the classifier says: "other" is an open
 * set that a few hundred marked samples cannot cover. At 2, about 0.1% of held-out digits and
 * 0.14% of MNIST's test digits lie beyond it (20k digits, `npm run bench -- other`;
 * docs/other-class.md).
 */
export const FAR_OTHER_SPANS = 2;

export interface OodScorer {
  /** ood_score above this looks out-of-distribution: 95% of held-out in-distribution lie at or below it. */
  readonly threshold: number;
  /** ood_score above this is called 'other' when the model has that class (FAR_OTHER_SPANS). */
  readonly farThreshold: number;
  readonly scales: Readonly<Record<keyof OodComponents, TailScale>>;
  readonly weights: Readonly<OodWeights>;
  /** Combined score without the 'other' term (what the threshold was fitted on). */
  combine(cols: OodComponents): Float32Array;
  /**
   * ood_score: max(combined, f(p_other)), where f is increasing, f(0.5) = threshold, f(1) =
   * threshold + (threshold - held-out median). A sample the model calls 'other' with
   * p > 0.5 is therefore always above the threshold, and the score only rises with p_other.
   */
  score(cols: OodInputs): Float32Array;
}

export interface FitOodOptions {
  weights?: Partial<OodWeights>;
  /** Fraction of held-out in-distribution samples at or below the threshold (default 0.95). */
  tpr?: number;
}

const COMPONENTS = ['knnDistance', 'energy', 'msp'] as const;

function tailScale(values: Float32Array, what: string): TailScale {
  const sorted = sortedReference(values);
  if (sorted.length === 0) throw new Error(`fitOodScorer: held-out ${what} has no values`);
  const median = quantile(sorted, 0.5);
  const q95 = quantile(sorted, 0.95);
  // A degenerate reference (all equal, or a tiny held-out set) must not divide by zero;
  // fall back to the full range, then to an absolute floor.
  const range = sorted[sorted.length - 1]! - sorted[0]!; // sorted is not empty (checked above)
  const spread = q95 - median > 1e-9 ? q95 - median : range > 1e-9 ? range : 1e-6;
  return { median, q95, spread };
}

/** Fits the scales and the threshold on held-out in-distribution components. */
export function fitOodScorer(heldOut: OodComponents, opts: FitOodOptions = {}): OodScorer {
  const n = heldOut.knnDistance.length;
  if (n === 0) throw new Error('fitOodScorer: no held-out in-distribution samples');
  for (const c of COMPONENTS) expectLength(heldOut[c], n, `fitOodScorer: held-out ${c}`);
  const weights: OodWeights = { ...NO_WEIGHTS, ...DEFAULT_OOD_WEIGHTS, ...opts.weights };
  for (const c of [...COMPONENTS, 'knnExcess', 'mahalanobis'] as const) {
    if (!(Number.isFinite(weights[c]) && weights[c] >= 0))
      throw new Error(`fitOodScorer: weight ${c} must be >= 0, got ${weights[c]}`);
  }
  // Without the excess column the plain kNN distance stands in for it.
  const excess = heldOut.knnExcess ?? null;
  if (excess) expectLength(excess, n, 'fitOodScorer: held-out knnExcess');
  else {
    weights.knnDistance += weights.knnExcess;
    weights.knnExcess = 0;
  }
  // Without the column the Mahalanobis term takes no part (its weight reads as 0).
  const maha = heldOut.mahalanobis ?? null;
  if (maha) expectLength(maha, n, 'fitOodScorer: held-out mahalanobis');
  const wMaha = maha ? weights.mahalanobis : 0;
  const wSum = weights.knnDistance + weights.knnExcess + weights.energy + weights.msp + wMaha;
  if (!(wSum > 0)) throw new Error('fitOodScorer: all weights are 0');
  const scales: Record<keyof OodComponents, TailScale> = {
    knnDistance: tailScale(heldOut.knnDistance, 'knnDistance'),
    knnExcess: excess ? tailScale(excess, 'knnExcess') : { median: 0, q95: 1, spread: 1 },
    energy: tailScale(heldOut.energy, 'energy'),
    msp: tailScale(heldOut.msp, 'msp'),
    mahalanobis: maha ? tailScale(maha, 'mahalanobis') : { median: 0, q95: 1, spread: 1 },
  };

  const combine = (cols: OodComponents): Float32Array => {
    const m = cols.knnDistance.length;
    for (const c of COMPONENTS) expectLength(cols[c], m, `ood ${c}`);
    const mCol = cols.mahalanobis ?? null;
    // A scorer fitted with the column must get it: its threshold assumes that term.
    if (maha && !mCol) throw new Error('ood mahalanobis: the scorer was fitted with it, the input has none');
    if (mCol) expectLength(mCol, m, 'ood mahalanobis');
    const xCol = cols.knnExcess ?? null;
    if (excess && !xCol) throw new Error('ood knnExcess: the scorer was fitted with it, the input has none');
    if (xCol) expectLength(xCol, m, 'ood knnExcess');
    // Every column read in the loop has m values (checked above), so i < m is in range.
    const out = new Float32Array(m);
    const z = (c: keyof OodComponents, x: number): number => (x - scales[c].median) / scales[c].spread;
    const support = (c: keyof OodComponents, x: number): number => Math.min(SUPPORT_CAP, Math.max(0, z(c, x)));
    for (let i = 0; i < m; i++) {
      const v =
        weights.knnDistance * z('knnDistance', cols.knnDistance[i]!) +
        (weights.knnExcess > 0 && xCol ? weights.knnExcess * z('knnExcess', xCol[i]!) : 0) +
        (wMaha > 0 && mCol ? wMaha * z('mahalanobis', mCol[i]!) : 0) +
        weights.energy * support('energy', cols.energy[i]!) +
        weights.msp * support('msp', cols.msp[i]!);
      if (Number.isNaN(v)) throw new Error(`ood components: row ${i} is NaN`);
      out[i] = v / wSum;
    }
    return out;
  };

  const heldCombined = sortedReference(combine(heldOut));
  const threshold = thresholdAtTpr(heldCombined, opts.tpr ?? 0.95);
  const span = Math.max(threshold - quantile(heldCombined, 0.5), 1e-6);

  const score = (cols: OodInputs): Float32Array => {
    const out = combine(cols);
    const p = cols.pOther;
    if (p) {
      expectLength(p, out.length, 'ood pOther');
      for (let i = 0; i < out.length; i++) {
        if (!(p[i]! >= 0 && p[i]! <= 1 + 1e-5)) throw new Error(`ood pOther: row ${i} is not a probability (${p[i]})`);
        out[i] = Math.max(out[i]!, threshold + (p[i]! - 0.5) * 2 * span);
      }
    }
    return out;
  };

  return { threshold, farThreshold: threshold + FAR_OTHER_SPANS * span, scales, weights, combine, score };
}
