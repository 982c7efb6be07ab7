// The Insights view: which classes the model mixes up, and how the scores of the pool sit
// against held-out in-distribution samples and the thresholds.
import type { Insights } from '../../shared/api.js';
import { itemAt } from '../../shared/checked-index.js';
import type { EngineSample, ScoreTable } from '../engine/engine-types.js';

const BINS = 30;

export function buildInsights(t: ScoreTable, samples: EngineSample[], labels: string[]): Insights {
  const confusion = labels.map(() => t.classes.map(() => 0));
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  // The held-out rows where there are any: the model trained on every other labelled row and
  // has memorised most of them (a head called 98% of its training photos right at 82.5%
  // held-out accuracy), which hides the very mix-ups this matrix is for.
  const heldOut = t.heldOutIndices.length > 0;
  const rows = heldOut ? Array.from(t.heldOutIndices) : samples.map((_, i) => i);
  let counted = 0;
  for (const i of rows) {
    const label = itemAt(samples, i, 'samples').label;
    const row = label === null ? undefined : labelIndex.get(label);
    const predicted = itemAt(t.predicted, i, 'score table predicted');
    // A pending row of a first-pass table (predicted -1) has no prediction to count yet.
    if (row === undefined || predicted < 0) continue;
    const cells = itemAt(confusion, row, 'confusion rows');
    cells[predicted] = itemAt(cells, predicted, 'confusion columns') + 1;
    counted++;
  }
  const pool = samples.map((s, i) => (s.split === 'pool' ? i : -1)).filter((i) => i >= 0);
  const hist = (score: 'oodScore' | 'knnDistance' | 'msp', threshold: number | null) => {
    const ref = t.heldOut[score];
    const values = pool.map((i) => itemAt(t[score], i, `score table ${score}`));
    // A loop, not Math.min(...xs): spreading 60,000 values overflows the call stack.
    let lo = threshold ?? Infinity;
    let hi = threshold ?? -Infinity;
    for (const x of [ref, values]) {
      for (const v of x) {
        if (!Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    const width = (hi - lo) / BINS || 1;
    const edges = Array.from({ length: BINS + 1 }, (_, b) => lo + b * width);
    const count = (xs: Iterable<number>) => {
      const c = new Array<number>(BINS).fill(0);
      for (const x of xs) {
        if (!Number.isFinite(x)) continue;
        // lo is the least finite value of xs, so the bin is in 0..BINS - 1.
        const b = Math.min(BINS - 1, Math.floor((x - lo) / width));
        c[b] = itemAt(c, b, 'histogram bins') + 1;
      }
      return c;
    };
    return { score, edges, inDistribution: count(ref), pool: count(values), threshold };
  };
  return {
    confusion,
    confusionOf: { rows: heldOut ? 'held-out' : 'labelled', count: counted },
    histograms: [
      hist('oodScore', t.thresholds.ood),
      hist('knnDistance', null),
      hist('msp', t.thresholds.lowConfidence),
    ],
  };
}
