// A candidate weighting scored by the engine's own OOD scorer (fitOodScorer, its scales and
// weights fitted on the held-out in-distribution rows only), then AUROC per kind (MNIST test
// digits the negatives) and FPR@95 over the development kinds pooled, per training size.
import { fitOodScorer, type OodComponents, type OodWeights } from '../../src/main/engine/scores/ood-score.js';
import { auroc, fprAtTpr } from '../../src/main/engine/scores/metrics.js';
import { extraColumn, kindRowsOf, type Bank } from './bank.js';

export type Slot = keyof OodComponents;
export const SLOTS: readonly Slot[] = ['knnDistance', 'knnExcess', 'mahalanobis', 'energy', 'msp'];
/** The bank column each slot of fitOodScorer gets unless a candidate says otherwise. */
export const DEFAULT_SLOT_COLUMNS: Record<Slot, string> = {
  knnDistance: 'knn10',
  knnExcess: 'lof_diff',
  mahalanobis: 'maha_joint',
  energy: 'energy',
  msp: 'msp',
};

export interface Candidate {
  name: string;
  /** Every weight (fitOodScorer would otherwise fill the missing ones from the default). */
  weights: OodWeights;
  slots: Record<Slot, string>;
  /** Shown for the record but not eligible for the choice (e.g. restricted a priori). */
  outsideChoice?: boolean;
}

export interface CandidateResult {
  candidate: Candidate;
  /** auroc[size][kind] */
  auroc: Record<number, Record<string, number>>;
  /** fpr95[size]: development kinds pooled. */
  fpr95: Record<number, number>;
  worst: number;
  mean: number;
}

/** Rows a candidate's columns are needed on: the reference, the test digits and `kinds`. */
export function rowsOf(bank: Bank, kinds: readonly string[]): Int32Array {
  return Int32Array.from([
    ...bank.reference,
    ...bank.testRows,
    ...kinds.flatMap((k) => Array.from(kindRowsOf(bank, k))),
  ]);
}

/** The candidate's combined score (without the 'other' term, which no bench model has) on `rows`. */
export function combinedScore(bank: Bank, c: Candidate, rows: Int32Array, needed: Int32Array): Float32Array {
  const pick = (rs: Int32Array): OodComponents => {
    const comps = {} as Record<Slot, Float32Array>;
    for (const s of SLOTS) {
      const col = extraColumn(bank, c.slots[s], needed);
      comps[s] = Float32Array.from(rs, (r) => col[r]!);
    }
    return comps;
  };
  const scorer = fitOodScorer(pick(bank.reference), { weights: c.weights });
  return scorer.combine(pick(rows));
}

export function evaluate(
  banks: readonly Bank[],
  c: Candidate,
  devKinds: readonly string[],
  extraKinds: readonly string[],
): CandidateResult {
  const res: CandidateResult = { candidate: c, auroc: {}, fpr95: {}, worst: Infinity, mean: 0 };
  const dev: number[] = [];
  for (const bank of banks) {
    const kinds = [...devKinds, ...extraKinds];
    const needed = rowsOf(bank, kinds);
    const rows = Int32Array.from([...bank.testRows, ...kinds.flatMap((k) => Array.from(kindRowsOf(bank, k)))]);
    const s = combinedScore(bank, c, rows, needed);
    const nTest = bank.testRows.length;
    const id = s.subarray(0, nTest);
    const per: Record<string, number> = {};
    let off = nTest;
    const pooled: number[] = [];
    for (const kind of kinds) {
      const n = kindRowsOf(bank, kind).length;
      const ood = s.subarray(off, off + n);
      off += n;
      per[kind] = auroc(ood, id);
      if (devKinds.includes(kind)) {
        dev.push(per[kind]);
        pooled.push(...ood);
      }
    }
    res.auroc[bank.trainSize] = per;
    res.fpr95[bank.trainSize] = pooled.length > 0 ? fprAtTpr(id, pooled, 0.95) : Number.NaN;
  }
  res.worst = dev.length > 0 ? Math.min(...dev) : Number.NaN;
  res.mean = dev.length > 0 ? dev.reduce((a, b) => a + b, 0) / dev.length : Number.NaN;
  return res;
}

/** Written in every round's file: the best worst development AUROC, ties within 0.0005 broken by the mean. */
export const TIE_BAND = 0.0005;

export function bestByCriterion(results: readonly CandidateResult[]): CandidateResult {
  const eligible = results.filter((r) => !r.candidate.outsideChoice);
  if (eligible.length === 0) throw new Error('score-rounds: no eligible candidate');
  const bestWorst = Math.max(...eligible.map((r) => r.worst));
  const ties = eligible.filter((r) => r.worst >= bestWorst - TIE_BAND);
  return ties.reduce((a, b) => (b.mean > a.mean ? b : a));
}

/** Not worse at either size. */
export function fprNotWorse(a: CandidateResult, than: CandidateResult): boolean {
  return Object.keys(than.fpr95).every((s) => a.fpr95[Number(s)]! <= than.fpr95[Number(s)]!);
}

/** A candidate named the way the round files and symbols-grid.txt name them. */
export function candidate(
  weights: Partial<OodWeights>,
  slots: Partial<Record<Slot, string>> = {},
  opts: { name?: string; outsideChoice?: boolean } = {},
): Candidate {
  const w: OodWeights = { knnDistance: 0, knnExcess: 0, mahalanobis: 0, energy: 0, msp: 0, ...weights };
  const s = { ...DEFAULT_SLOT_COLUMNS, ...slots };
  const terms: string[] = [];
  const bothKnn = w.knnDistance > 0 && w.knnExcess > 0;
  for (const slot of SLOTS) {
    if (!(w[slot] > 0)) continue;
    const knnTerm = slot === 'knnDistance' || slot === 'knnExcess';
    const clipped = slot === 'energy' || slot === 'msp';
    const weight = knnTerm && w[slot] === 1 && !bothKnn ? '' : `:${w[slot]}`;
    terms.push(`${clipped ? 'c_' : ''}${s[slot]}${weight}`);
  }
  return { name: opts.name ?? terms.join('+'), weights: w, slots: s, outsideChoice: opts.outsideChoice };
}
