// Embed every sample once, find each one's k nearest training neighbours (known classes
// only: an 'other' sample in the index would make a distractor look familiar), and turn
// logits + neighbour similarities into the ScoreTable.
import { OTHER_LABEL } from '../../../shared/api.js';
import type { ScoreTable } from '../engine-types.js';
import type { Classifier } from '../model/classifier.js';
import { embedImages } from '../embeddings/embed.js';
import { canSampleDropout, mcColumnOf } from '../embeddings/mc-column.js';
import { ExactCosineIndex } from '../embeddings/knn-index.js';
import { jointRows, type FeatureBlock } from '../embeddings/joint-features.js';
import { computeScores, type LabelIssues } from '../scores/index.js';
import { fitTiedGaussian, mahalanobisScore } from '../scores/mahalanobis.js';
import { knnDistance, knnExcess } from '../scores/knn-distance.js';
import { PIXELS_PER_IMAGE } from '../types.js';
import type { CachedNeighbourhood } from './score-cache.js';

export const DEFAULT_K = 10;

export interface ScoreInput {
  classifier: Classifier;
  pixels: Uint8Array;
  /** Final label of every sample (null = unlabeled). */
  labels: readonly (string | null)[];
  /** Samples the model trained on; the kNN base is their known-class subset. */
  trainIndices: Int32Array;
  heldOutIndices: Int32Array;
  modelVersion: string;
  k?: number;
  /** Out-of-fold label issues and their threshold when the check has run (scores NaN where not available). */
  labelIssues?: LabelIssues | null;
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
}

/**
 * What the cache holds, while it is being built: neighbours (-1 / NaN) are filled in as rows
 * are searched, mcDisagreement (NaN) as they are scored.
 */
interface Neighbourhood extends CachedNeighbourhood {
  featureNorms: Float32Array | null;
  /** 1 where the row has its neighbours. */
  searched: Uint8Array;
}

type Report = (phase: string, fraction: number, message: string) => void;

async function embedAll(input: ScoreInput, report: Report): Promise<Neighbourhood> {
  const n = input.labels.length;
  report('embedding', 0, `Embedding ${n} samples`);
  if (input.pixels.length !== n * PIXELS_PER_IMAGE)
    throw new Error(`${input.pixels.length} pixel bytes for ${n} samples`);
  const e = await embedImages(input.classifier, input.pixels, {
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

/** kNN base: training samples of known classes. */
export function knnBaseRows(trainIndices: Int32Array, labels: readonly (string | null)[]): Int32Array {
  return Int32Array.from(Array.from(trainIndices).filter((i) => labels[i] !== null && labels[i] !== OTHER_LABEL));
}

function knnBase(input: ScoreInput): Int32Array {
  return knnBaseRows(input.trainIndices, input.labels);
}

/** Finds the neighbours of `rows` (in place in nb). */
function searchRows(input: ScoreInput, nb: Neighbourhood, rows: Int32Array, report: Report): void {
  if (rows.length === 0) return;
  const { dim, k, embeddings } = nb;
  const base = knnBase(input);
  const baseVecs = new Float32Array(base.length * dim);
  base.forEach((r, j) => baseVecs.set(embeddings.subarray(r * dim, (r + 1) * dim), j * dim));
  report('neighbours', 0.6, `Finding ${k} nearest training neighbours of ${rows.length} samples`);
  const posInBase = new Map<number, number>();
  base.forEach((r, j) => posInBase.set(r, j));
  const queries = new Float32Array(rows.length * dim);
  // A training sample must not find itself (similarity 1 would make it look perfectly typical).
  const exclude = new Int32Array(rows.length);
  rows.forEach((r, j) => {
    queries.set(embeddings.subarray(r * dim, (r + 1) * dim), j * dim);
    exclude[j] = posInBase.get(r) ?? -1;
  });
  const index = new ExactCosineIndex(baseVecs, dim);
  try {
    // Fixed blocks: a first pass and a full pass must give a row the same similarities.
    const res = index.search(queries, k, { excludeSelf: exclude, fixedBlocks: true });
    rows.forEach((r, j) => {
      for (let c = 0; c < k; c++) {
        nb.neighbours[r * k + c] = base[res.indices[j * k + c]];
        nb.neighbourSims[r * k + c] = res.sims[j * k + c];
      }
      nb.searched[r] = 1;
    });
  } finally {
    index.dispose();
  }
}

/** Rows that are a searched row's neighbour but have neither neighbours nor a known distance. */
function unsearchedNeighbours(nb: Neighbourhood, known: Float32Array | null): Int32Array {
  const seen = new Uint8Array(nb.searched.length);
  const out: number[] = [];
  for (let r = 0; r < nb.searched.length; r++) {
    if (!nb.searched[r]) continue;
    for (let j = r * nb.k; j < (r + 1) * nb.k; j++) {
      const m = nb.neighbours[j];
      if (m >= 0 && !nb.searched[m] && !seen[m] && !(known && Number.isFinite(known[m]))) {
        seen[m] = 1;
        out.push(m);
      }
    }
  }
  return Int32Array.from(out);
}

/** The `width`-value rows `rows` of `src`, packed in that order. */
function gatherRows<T extends Float32Array | Int32Array>(
  src: T,
  width: number,
  rows: ArrayLike<number>,
  make: (m: number) => T,
): T {
  const out = make(rows.length * width);
  for (let j = 0; j < rows.length; j++) out.set(src.subarray(rows[j] * width, (rows[j] + 1) * width), j * width);
  return out;
}

function rowsWhere(mask: Uint8Array, value: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === value) out.push(i);
  return Int32Array.from(out);
}

/**
 * The rows' Mahalanobis distance to the known classes, fitted on the same training samples
 * as the kNN base, over the joint vector [unit embedding, first-layer channel statistics]
 * (the embedding alone when the model gives no statistics); null when the base is too
 * small to fit a covariance on. One Gaussian over both blocks rather than one per block: it
 * also knows how the two co-vary within a class (ood-score.ts has the measurements).
 */
function mahalanobisOf(input: ScoreInput, nb: Neighbourhood, given: Int32Array, rows: Int32Array): Float32Array | null {
  // Only labels the model has a column for; too few of them and there is nothing to fit.
  const base = Int32Array.from(Array.from(knnBase(input)).filter((r) => given[r] >= 0));
  if (base.length < 2) return null;
  const blocks: FeatureBlock[] = [{ values: nb.embeddings, dim: nb.dim }];
  if (nb.lowLevel && nb.lowLevelDim > 0) blocks.push({ values: nb.lowLevel, dim: nb.lowLevelDim });
  const fit = jointRows(base, blocks);
  const model = fitTiedGaussian(
    fit.vectors,
    fit.dim,
    Int32Array.from(base, (r) => given[r]),
  );
  return mahalanobisScore(model, jointRows(rows, blocks).vectors);
}

export async function buildScoreTable(input: ScoreInput, report: Report = () => {}): Promise<ScoreResult> {
  const classes = input.classifier.classes;
  const n = input.labels.length;
  const reuse = input.reuse && input.reuse.table.modelVersion === input.modelVersion ? input.reuse : null;
  let nb: Neighbourhood;
  if (reuse) {
    const t = reuse.table;
    nb = {
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
  } else if (input.cached) {
    const c = input.cached;
    if (
      c.logits.length !== n * classes.length ||
      c.embeddings.length !== n * c.dim ||
      c.neighbours.length !== n * c.k ||
      c.lowLevelDim !== (input.classifier.lowLevelDim ?? 0) ||
      (c.lowLevel?.length ?? 0) !== n * c.lowLevelDim ||
      (c.mcDisagreement !== null) !== canSampleDropout(input.classifier) ||
      (c.mcDisagreement !== null && c.mcDisagreement.length !== n)
    )
      throw new Error('cached scores do not fit these samples and this model');
    nb = { ...c, featureNorms: null, searched: new Uint8Array(n).fill(1) };
    report('neighbours', 0.6, 'Using the embeddings and neighbours saved with this model');
  } else {
    nb = await embedAll(input, report);
  }
  // Which rows get their neighbours now: the first rows (and the held-out reference) of a
  // two-phase scoring, else every row still missing them.
  let want: Uint8Array;
  if (input.firstRows) {
    want = nb.searched.slice();
    for (const r of Array.from(input.firstRows)) {
      if (!Number.isInteger(r) || r < 0 || r >= n) throw new Error(`firstRows: ${r} is not a row index below ${n}`);
      want[r] = 1;
    }
    for (const r of input.heldOutIndices) want[r] = 1;
  } else {
    want = new Uint8Array(n).fill(1);
  }
  const wanted = Int32Array.from(Array.from(rowsWhere(want, 1)).filter((r) => !nb.searched[r]));
  searchRows(input, nb, wanted, report);
  // knnExcess needs the neighbours' own distances: a first pass also searches the training
  // rows its rows landed next to (a full table has searched every row already). Those
  // references stay pending in this table: their own neighbours' distances are not known.
  const kd = input.knownDistances;
  if (kd && kd.values.length !== n) throw new Error(`knownDistances has ${kd.values.length} rows for ${n} samples`);
  const known = kd && kd.k === nb.k ? kd.values : null;
  searchRows(input, nb, unsearchedNeighbours(nb, known), report);
  const { neighbours, neighbourSims, k, dim } = nb;
  const done = rowsWhere(want, 1);
  const complete = done.length === n;
  const mc = nb.mcDisagreement;
  if (mc) {
    const mcRows = Int32Array.from(Array.from(done).filter((r) => Number.isNaN(mc[r])));
    if (mcRows.length > 0) {
      if (!nb.featureNorms)
        throw new Error('scoring: rows to complete but no feature norms to run the MC-dropout passes on');
      report('neighbours', 0.85, `MC-dropout passes of ${mcRows.length} samples`);
      await mcColumnOf(input.classifier, nb.embeddings, nb.featureNorms, nb.dim, mcRows, mc);
    }
  }

  report('scoring', 0.9, complete ? 'Computing scores' : `Computing scores of ${done.length} samples first`);
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const C = classes.length;
  const given = Int32Array.from(input.labels, (l) => (l === null ? -1 : (classIndex.get(l) ?? -1)));
  // Scores of the searched rows only: the held-out reference is among them, and every
  // column is per row given that reference, so the subset gives the same values.
  const pos = new Int32Array(n).fill(-1);
  done.forEach((r, j) => (pos[r] = j));
  const pickRows = <T extends Float32Array | Int32Array>(src: T, width: number, make: (m: number) => T): T =>
    complete ? src : gatherRows(src, width, done, make);
  const doneSims = pickRows(neighbourSims, k, (m) => new Float32Array(m));
  const doneNeighbours = pickRows(neighbours, k, (m) => new Int32Array(m));
  // Every row's own distance where known, else where searched: the scored rows' neighbours
  // are among them.
  const rowDistance = known ? known.slice() : new Float32Array(n).fill(Number.NaN);
  const searchedRows = Int32Array.from(
    Array.from(rowsWhere(nb.searched, 1)).filter((r) => Number.isNaN(rowDistance[r])),
  );
  const searchedSims = gatherRows(neighbourSims, k, searchedRows, (m) => new Float32Array(m));
  knnDistance(searchedSims, k).forEach((d, j) => (rowDistance[searchedRows[j]] = d));
  const doneDistance = Float32Array.from(done, (r) => rowDistance[r]);
  const scores = computeScores({
    mahalanobis: mahalanobisOf(input, nb, given, done),
    knnExcess: knnExcess(doneDistance, doneNeighbours, k, rowDistance),
    logits: pickRows(nb.logits, C, (m) => new Float32Array(m)),
    numClasses: C,
    otherClass: classIndex.get(OTHER_LABEL) ?? -1,
    knnSims: doneSims,
    k,
    heldOutIndices: complete ? input.heldOutIndices : Int32Array.from(input.heldOutIndices, (r) => pos[r]),
    labels: pickRows(given, 1, (m) => new Int32Array(m)),
    labelIssues: input.labelIssues
      ? { ...input.labelIssues, scores: pickRows(input.labelIssues.scores, 1, (m) => new Float32Array(m)) }
      : null,
  });
  // Pending rows: NaN scores, no prediction, lowest priority, no flags.
  const spread = <T extends Float32Array | Int32Array | Uint8Array>(
    col: T,
    width: number,
    fill: number,
    make: (m: number) => T,
  ): T => {
    if (complete) return col;
    const out = make(n * width);
    out.fill(fill);
    done.forEach((r, j) => out.set(col.subarray(j * width, (j + 1) * width), r * width));
    return out;
  };
  const f32 = (col: Float32Array, fill = Number.NaN, width = 1) => spread(col, width, fill, (m) => new Float32Array(m));
  report('done', 1, complete ? 'Scores ready' : `Scores of ${done.length} samples ready; ${n - done.length} to follow`);
  const table: ScoreTable = {
    modelVersion: input.modelVersion,
    classes,
    probs: f32(scores.probs, Number.NaN, C),
    predicted: spread(scores.predicted, 1, -1, (m) => new Int32Array(m)),
    confidence: f32(scores.confidence),
    msp: f32(scores.msp),
    margin: f32(scores.margin),
    entropy: f32(scores.entropy),
    energy: f32(scores.energy),
    knnDistance: f32(scores.knnDistance),
    mcDisagreement: nb.mcDisagreement
      ? f32(pickRows(nb.mcDisagreement, 1, (m) => new Float32Array(m)))
      : new Float32Array(n).fill(Number.NaN),
    oodScore: f32(scores.oodScore),
    labelIssue: f32(scores.labelIssue),
    reviewPriority: f32(scores.reviewPriority, -Infinity),
    flags: spread(scores.flags, 1, 0, (m) => new Uint8Array(m)),
    // Copies with the pending rows blanked: the references searched for this pass are not
    // scored yet, and a later pass reusing this table searches them again.
    neighbours: spread(doneNeighbours, k, -1, (m) => new Int32Array(m)),
    neighbourSims: f32(doneSims, Number.NaN, k),
    k,
    thresholds: scores.thresholds,
    heldOut: scores.heldOut,
    heldOutIndices: input.heldOutIndices,
    ...(complete ? {} : { scored: want }),
  };
  return {
    table,
    embeddings: nb.embeddings,
    dim,
    logits: nb.logits,
    lowLevel: nb.lowLevel,
    lowLevelDim: nb.lowLevelDim,
    mcDisagreement: nb.mcDisagreement,
    featureNorms: nb.featureNorms,
    temperature: scores.temperature,
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
