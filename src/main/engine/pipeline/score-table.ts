// Scoring in stages: the neighbourhood (logits, embeddings, neighbours) from an earlier
// result, the score cache or a fresh embedding; the rows to score now; their neighbours
// (neighbour-search.ts); their MC-dropout passes; their scores; and the table with any rows
// left pending (score-rows.ts).
import type { ScoreTable } from '../engine-types.js';
import type { Classifier } from '../model/classifier.js';
import { embedImages } from '../embeddings/embed.js';
import { canSampleDropout, mcColumnOf } from '../embeddings/mc-column.js';
import type { LabelIssues } from '../scores/index.js';
import { asInputs, rowCount, type ModelInputs } from '../model/inputs.js';
import { knnBase, rowsWhere, searchNeighbours, type Neighbourhood } from './neighbour-search.js';
import type { CachedNeighbourhood } from './score-cache.js';
import { carryNeighbours, type EarlierNeighbours } from './neighbour-carry.js';
import { scoreRows, spreadRows } from './score-rows.js';

export const DEFAULT_K = 10;

export interface ScoreInput {
  classifier: Classifier;
  /** As TrainModelInput.inputs: one row per sample. */
  inputs: Uint8Array | ModelInputs;
  /** Final label of every sample (null = unlabeled). */
  labels: readonly (string | null)[];
  /** Samples the model trained on; the kNN base is their known-class subset. */
  trainIndices: Int32Array;
  heldOutIndices: Int32Array;
  modelVersion: string;
  k?: number;
  /** Out-of-fold label issues and their threshold when the check has run (scores NaN where not available). */
  labelIssues?: LabelIssues | null;
  /** Given labels of samples the model did not train on (a labelled pool), for their label_issue (ScoreInputs.reviewLabels). */
  reviewLabels?: readonly (string | null)[] | null;
  /**
   * An earlier result for the same model and labels: its logits, embeddings and neighbours
   * are reused and only the score columns are recomputed (e.g. when the label check's
   * column arrives), plus the neighbours of any rows it had left pending. Embedding and the
   * kNN search are most of a scoring's time.
   */
  reuse?: ScoreResult | null;
  /**
   * Two-phase scoring: search and score only these rows now (the held-out rows are always
   * added: calibration and thresholds are fitted on them), leave every other row pending.
   * Every sample is still embedded, since the training samples are the kNN base. A later
   * call with `reuse` of this result completes the pending rows. The columns of the rows
   * scored here are exactly what a single full pass gives: every score is per row, given
   * the held-out reference.
   */
  firstRows?: ArrayLike<number> | null;
  /**
   * Logits, embeddings and every row's neighbours saved by an earlier run for this model and
   * these samples (score-cache.ts): used like a complete `reuse`.
   */
  cached?: CachedNeighbourhood | null;
  /**
   * Training rows' own kNN distances known before any search (the shipped demo model's,
   * shipped-model.ts), used in place of searching those rows for knnExcess, in every pass
   * alike so a first pass gives the values a full one does.
   */
  knownDistances?: KnownDistances | null;
  /**
   * The scoring of an earlier model (neighbourhoodOfEarlier): where its embeddings are these
   * ones (a head's rows), each row's neighbours are carried over and only the training rows
   * that joined the base since are searched (neighbour-carry.ts).
   */
  earlier?: EarlierNeighbours | null;
}

/** Own kNN distances (k neighbours, itself excluded) per row; NaN where not known. */
export interface KnownDistances {
  k: number;
  values: Float32Array;
}

export interface ScoreResult {
  table: ScoreTable;
  /** n * dim unit-norm embeddings (for "similar" queries). */
  embeddings: Float32Array;
  dim: number;
  /** n * C raw logits. */
  logits: Float32Array;
  /** n * lowLevelDim first-layer channel statistics (model/channel-stats.ts), or null. */
  lowLevel: Float32Array | null;
  lowLevelDim: number;
  /**
   * n MC-dropout disagreement scores (NaN on rows not scored yet), or null when the model
   * has no dropout to sample (the table's column is NaN throughout).
   */
  mcDisagreement: Float32Array | null;
  /** n feature norms (embeddings/embed.ts) for the passes of rows still pending; null when loaded from the cache. */
  featureNorms: Float32Array | null;
  temperature: number;
  /** Sample indices of the kNN base this result was searched against. */
  base: Int32Array;
}

export type Report = (phase: string, fraction: number, message: string) => void;

/** Scores every row, or a first pass (ScoreInput.firstRows) with the rest left pending. */
export async function buildScoreTable(input: ScoreInput, report: Report = () => {}): Promise<ScoreResult> {
  const n = input.labels.length;
  const nb = await neighbourhoodFrom(input, report);
  const want = rowsToScore(input, nb.searched);
  const known = searchNeighbours(input, nb, want, report);
  const done = rowsWhere(want, 1);
  await completeMcDisagreement(input, nb, done, report);
  report('scoring', 0.9, done.length === n ? 'Computing scores' : `Computing scores of ${done.length} samples first`);
  const rows = scoreRows(input, nb, done, known);
  report(
    'done',
    1,
    rows.complete ? 'Scores ready' : `Scores of ${done.length} samples ready; ${n - done.length} to follow`,
  );
  return {
    table: spreadRows(input, nb, rows, want),
    embeddings: nb.embeddings,
    dim: nb.dim,
    logits: nb.logits,
    lowLevel: nb.lowLevel,
    lowLevelDim: nb.lowLevelDim,
    mcDisagreement: nb.mcDisagreement,
    featureNorms: nb.featureNorms,
    temperature: rows.scores.temperature,
    base: knnBase(input),
  };
}

/** The neighbourhood to score from: an earlier result of this model, else the cache, else a fresh embedding. */
async function neighbourhoodFrom(input: ScoreInput, report: Report): Promise<Neighbourhood> {
  const reuse = input.reuse && input.reuse.table.modelVersion === input.modelVersion ? input.reuse : null;
  if (reuse) return reusedNeighbourhood(reuse, input.labels.length);
  if (input.cached) {
    const nb = cachedNeighbourhood(input, input.cached);
    report('neighbours', 0.6, 'Using the embeddings and neighbours saved with this model');
    return nb;
  }
  const nb = await embedAll(input, report);
  const carried = input.earlier ? carryNeighbours(input, nb, input.earlier) : 0;
  if (carried > 0) report('neighbours', 0.6, `Neighbours of ${carried} samples carried over from the last model`);
  return nb;
}

function reusedNeighbourhood(reuse: ScoreResult, n: number): Neighbourhood {
  const t = reuse.table;
  return {
    logits: reuse.logits,
    embeddings: reuse.embeddings,
    dim: reuse.dim,
    lowLevel: reuse.lowLevel,
    lowLevelDim: reuse.lowLevelDim,
    // Copies (like the neighbours below): the rows completed now must not change the earlier table's.
    mcDisagreement: reuse.mcDisagreement && t.scored ? reuse.mcDisagreement.slice() : reuse.mcDisagreement,
    featureNorms: reuse.featureNorms,
    // Copies: the earlier table may already be in the caller's hands.
    neighbours: t.scored ? t.neighbours.slice() : t.neighbours,
    neighbourSims: t.scored ? t.neighbourSims.slice() : t.neighbourSims,
    k: t.k,
    searched: t.scored ? t.scored.slice() : new Uint8Array(n).fill(1),
  };
}

function cachedNeighbourhood(input: ScoreInput, c: CachedNeighbourhood): Neighbourhood {
  const n = input.labels.length;
  if (
    c.logits.length !== n * input.classifier.classes.length ||
    c.embeddings.length !== n * c.dim ||
    c.neighbours.length !== n * c.k ||
    c.lowLevelDim !== (input.classifier.lowLevelDim ?? 0) ||
    (c.lowLevel?.length ?? 0) !== n * c.lowLevelDim ||
    (c.mcDisagreement !== null) !== canSampleDropout(input.classifier) ||
    (c.mcDisagreement !== null && c.mcDisagreement.length !== n)
  )
    throw new Error('cached scores do not fit these samples and this model');
  return { ...c, featureNorms: null, searched: new Uint8Array(n).fill(1) };
}

async function embedAll(input: ScoreInput, report: Report): Promise<Neighbourhood> {
  const n = input.labels.length;
  report('embedding', 0, `Embedding ${n} samples`);
  const rows = rowCount(asInputs(input.inputs));
  if (rows !== n) throw new Error(`${rows} input rows for ${n} samples`);
  const e = await embedImages(input.classifier, input.inputs, {
    onProgress: (d, t) => report('embedding', 0.6 * (d / t), `Embedding: ${d}/${t}`),
  });
  if (!e.embeddings) throw new Error('the model exposes no features to compare samples by');
  const k = Math.min(input.k ?? DEFAULT_K, Math.max(1, knnBase(input).length - 1));
  return {
    logits: e.logits,
    embeddings: e.embeddings,
    dim: e.dim,
    lowLevel: e.lowLevel,
    lowLevelDim: e.lowLevelDim,
    mcDisagreement: canSampleDropout(input.classifier) ? new Float32Array(n).fill(Number.NaN) : null,
    featureNorms: e.featureNorms,
    neighbours: new Int32Array(n * k).fill(-1),
    neighbourSims: new Float32Array(n * k).fill(Number.NaN),
    k,
    searched: new Uint8Array(n),
  };
}

/**
 * Which rows get their neighbours and scores now: the first rows (and the held-out
 * reference) of a two-phase scoring, plus those already searched; else every row.
 */
function rowsToScore(input: ScoreInput, searched: Uint8Array): Uint8Array {
  const n = input.labels.length;
  if (!input.firstRows) return new Uint8Array(n).fill(1);
  const want = searched.slice();
  for (const r of Array.from(input.firstRows)) {
    if (!Number.isInteger(r) || r < 0 || r >= n) throw new Error(`firstRows: ${r} is not a row index below ${n}`);
    want[r] = 1;
  }
  for (const r of input.heldOutIndices) want[r] = 1;
  return want;
}

/** Runs the MC-dropout passes of the rows `done` still without a disagreement score (in place in nb). */
async function completeMcDisagreement(
  input: ScoreInput,
  nb: Neighbourhood,
  done: Int32Array,
  report: Report,
): Promise<void> {
  const mc = nb.mcDisagreement;
  if (!mc) return;
  let m = 0;
  for (const r of done) if (Number.isNaN(mc[r])) m++;
  const mcRows = new Int32Array(m);
  m = 0;
  for (const r of done) if (Number.isNaN(mc[r])) mcRows[m++] = r;
  if (mcRows.length === 0) return;
  if (!nb.featureNorms)
    throw new Error('scoring: rows to complete but no feature norms to run the MC-dropout passes on');
  report('neighbours', 0.85, `MC-dropout passes of ${mcRows.length} samples`);
  await mcColumnOf(input.classifier, nb.embeddings, nb.featureNorms, nb.dim, mcRows, mc);
}

/** What the next model's scoring can carry over of this result (ScoreInput.earlier). */
export function neighbourhoodOfEarlier(result: ScoreResult): EarlierNeighbours {
  const t = result.table;
  return {
    embeddings: result.embeddings,
    dim: result.dim,
    base: result.base,
    k: t.k,
    neighbours: t.neighbours,
    neighbourSims: t.neighbourSims,
    scored: t.scored ?? null,
  };
}

/** What the score cache keeps of a complete result. */
export function neighbourhoodOf(result: ScoreResult): CachedNeighbourhood {
  return {
    logits: result.logits,
    embeddings: result.embeddings,
    dim: result.dim,
    lowLevel: result.lowLevel,
    lowLevelDim: result.lowLevelDim,
    mcDisagreement: result.mcDisagreement,
    neighbours: result.table.neighbours,
    neighbourSims: result.table.neighbourSims,
    k: result.table.k,
  };
}
