// The component bank of one training size: the model trained cold on the layout of
// bench/quality.ts (training digits, MNIST test digits, then 1000 of each distractor kind,
// seed 42), scored by the engine's buildScoreTable, and every column a round's candidates
// combine, computed with the engine's own functions from what the score table holds.
import { DIGITS, qualityLayout, trainAndScore } from '../quality-layout.js';
import { DEMO_DISTRACTOR_KINDS, EVAL_ONLY_KINDS, EXTRA_DEV_KINDS } from '../../src/main/engine/datasets/index.js';
import type { ScoreResult } from '../../src/main/engine/pipeline/score-table.js';
import { knnBaseRows } from '../../src/main/engine/pipeline/neighbour-search.js';
import type { FeatureBlock } from '../../src/main/engine/embeddings/joint-features.js';
import { ExactCosineIndex } from '../../src/main/engine/embeddings/knn-index.js';
import { knnDistance, knnExcess } from '../../src/main/engine/scores/knn-distance.js';
import { tiedMahalanobis } from '../../src/main/engine/pipeline/score-rows.js';

/** The order of quality.ts: the same rows, so the same seeded training and the same figures. */
export const ALL_KINDS: readonly string[] = [
  ...DEMO_DISTRACTOR_KINDS,
  'fashion',
  ...EXTRA_DEV_KINDS,
  ...EVAL_ONLY_KINDS,
];

export interface Bank {
  trainSize: number;
  accuracy: number;
  /** Held-out known-class rows: every scale and threshold is fitted on these only. */
  reference: Int32Array;
  /** MNIST test digits: the negatives. */
  testRows: Int32Array;
  kindRows: Record<string, Int32Array>;
  /** The table's own oodScore (the default weighting), to check the bench against. */
  oodScore: Float32Array;
  result: ScoreResult;
  base: Int32Array;
  /** Full-height component columns by name; more are added on demand (extraColumn). */
  cols: Map<string, Float32Array>;
}

function range(a: number, b: number): Int32Array {
  return Int32Array.from({ length: b - a }, (_, i) => a + i);
}

export async function buildBank(
  trainSize: number,
  epochs: number,
  out: (s: string) => void,
  perKind = 1000,
  seed = 42,
): Promise<Bank> {
  const layout = qualityLayout(trainSize, ALL_KINDS, perKind, seed);
  const { labels, nTrain, test } = layout;

  out(`Training cold on ${nTrain} MNIST images, ${epochs} epochs, seed ${seed}...\n`);
  const m = await trainAndScore(layout, epochs, seed);
  const { result } = m;
  const table = result.table;

  const kindRows: Record<string, Int32Array> = {};
  ALL_KINDS.forEach((kind, k) => {
    const start = nTrain + test.count + k * perKind;
    kindRows[kind] = range(start, start + perKind);
  });
  const base = knnBaseRows(m.trainIndices, labels);
  const given = Int32Array.from(labels, (l) => (l === null ? -1 : DIGITS.indexOf(l)));
  const bank: Bank = {
    trainSize: nTrain,
    accuracy: m.testAccuracy,
    reference: Int32Array.from(Array.from(m.heldOutIndices).filter((r) => labels[r] !== null)),
    testRows: range(nTrain, nTrain + test.count),
    kindRows,
    oodScore: table.oodScore,
    result,
    base,
    cols: new Map(),
  };
  const rowDistance = table.knnDistance;
  bank.cols.set('knn10', table.knnDistance);
  bank.cols.set('energy', table.energy);
  bank.cols.set('msp', table.msp);
  bank.cols.set('mc', table.mcDisagreement);
  bank.cols.set('lof_diff', knnExcess(rowDistance, table.neighbours, table.k, rowDistance));
  const all = range(0, labels.length);
  const blocks: FeatureBlock[] = [{ values: result.embeddings, dim: result.dim }];
  bank.cols.set('maha_emb', tiedMahalanobis(base, given, all, blocks));
  if (result.lowLevel && result.lowLevelDim > 0) blocks.push({ values: result.lowLevel, dim: result.lowLevelDim });
  bank.cols.set('maha_joint', tiedMahalanobis(base, given, all, blocks));
  out(`  MNIST test accuracy ${(100 * bank.accuracy).toFixed(2)}%, held-out reference ${bank.reference.length} rows\n`);
  return bank;
}

/** The k-nearest distance from the first `m` of the table's k similarities (they come most similar first). */
function knnOfFirst(bank: Bank, m: number): Float32Array {
  const t = bank.result.table;
  const n = t.knnDistance.length;
  const sims = new Float32Array(n * m);
  for (let i = 0; i < n; i++) sims.set(t.neighbourSims.subarray(i * t.k, i * t.k + m), i * m);
  return knnDistance(sims, m);
}

/**
 * Round 4's cheaper references (knn-excess-cost.md) and round 1's smaller k, computed on
 * first use: `rows` are the rows the round scores (their neighbours' distances are needed).
 */
export function extraColumn(bank: Bank, name: string, rows: Int32Array): Float32Array {
  const have = bank.cols.get(name);
  if (have) return have;
  const t = bank.result.table;
  const { k } = t;
  const d = t.knnDistance;
  let col: Float32Array;
  const lofFirst = /^lof_m(\d+)$/.exec(name);
  const knnK = /^knn(\d+)$/.exec(name);
  const sub = /^lof_sub(\d+)$/.exec(name);
  if (knnK) col = knnOfFirst(bank, Number(knnK[1]));
  else if (lofFirst) {
    // The sample's distance less the mean distance of only its nearest m neighbours.
    const m = Number(lofFirst[1]);
    const nb = new Int32Array(d.length * m);
    for (let i = 0; i < d.length; i++) nb.set(t.neighbours.subarray(i * k, i * k + m), i * m);
    col = knnExcess(d, nb, m, d);
  } else if (name === 'mut_diff' || name === 'mut_diff_half') {
    const f = name === 'mut_diff' ? 1 : 0.5;
    const mutual = mutualDistance(bank, rows);
    col = d.map((v, i) => v - f * mutual[i]!);
  } else if (sub) col = subsetExcess(bank, Number(sub[1]), rows);
  else throw new Error(`score-rounds: no column '${name}'`);
  bank.cols.set(name, col);
  return col;
}

/** Mean pairwise cosine distance among each row's own k neighbours (NaN outside `rows`). */
function mutualDistance(bank: Bank, rows: Int32Array): Float32Array {
  const { table: t, embeddings: e, dim } = bank.result;
  const k = t.k;
  const out = new Float32Array(t.knnDistance.length).fill(Number.NaN);
  for (const r of rows) {
    let s = 0;
    for (let a = 0; a < k; a++) {
      const pa = t.neighbours[r * k + a]! * dim;
      for (let b = a + 1; b < k; b++) {
        const pb = t.neighbours[r * k + b]! * dim;
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += e[pa + j]! * e[pb + j]!;
        s += 1 - dot;
      }
    }
    out[r] = s / ((k * (k - 1)) / 2);
  }
  return out;
}

/**
 * lof_diff with every neighbour's own distance taken to its k nearest among every `step`-th
 * kNN base sample (itself excluded): round 4b's references against a subset.
 */
function subsetExcess(bank: Bank, step: number, rows: Int32Array): Float32Array {
  const { table: t, embeddings: e, dim } = bank.result;
  const k = t.k;
  const subset = bank.base.filter((_, j) => j % step === 0);
  const subVecs = new Float32Array(subset.length * dim);
  const posInSubset = new Map<number, number>();
  subset.forEach((r, j) => {
    subVecs.set(e.subarray(r * dim, (r + 1) * dim), j * dim);
    posInSubset.set(r, j);
  });
  const need = new Set<number>();
  for (const r of rows) for (let c = 0; c < k; c++) need.add(t.neighbours[r * k + c]!);
  const queryRows = Int32Array.from(need);
  const queries = new Float32Array(queryRows.length * dim);
  const exclude = Int32Array.from(queryRows, (r, j) => {
    queries.set(e.subarray(r * dim, (r + 1) * dim), j * dim);
    return posInSubset.get(r) ?? -1;
  });
  const index = new ExactCosineIndex(subVecs, dim);
  const own = new Float32Array(t.knnDistance.length).fill(Number.NaN);
  try {
    const res = index.search(queries, k, { excludeSelf: exclude, fixedBlocks: true });
    knnDistance(res.sims, k).forEach((v, j) => (own[queryRows[j]!] = v));
  } finally {
    index.dispose();
  }
  const out = new Float32Array(t.knnDistance.length).fill(Number.NaN);
  const nb = new Int32Array(rows.length * k);
  rows.forEach((r, j) => nb.set(t.neighbours.subarray(r * k, (r + 1) * k), j * k));
  const ex = knnExcess(
    Float32Array.from(rows, (r) => t.knnDistance[r]!),
    nb,
    k,
    own,
  );
  rows.forEach((r, j) => (out[r] = ex[j]!));
  return out;
}

/** The bank's rows of one distractor kind; a kind it was not built with is a caller's mistake. */
export function kindRowsOf(bank: Pick<Bank, 'kindRows'>, kind: string): Int32Array {
  const rows = bank.kindRows[kind];
  if (!rows) throw new Error(`score rounds: the bank has no rows of kind '${kind}'`);
  return rows;
}
