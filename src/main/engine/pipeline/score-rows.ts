// The score columns of the rows a pass scores (scoreRows), and the table's full-height
// columns with the pending rows blanked (spreadRows).
import { OTHER_LABEL } from '../../../shared/api.js';
import type { ScoreTable } from '../engine-types.js';
import { jointRows, type FeatureBlock } from '../embeddings/joint-features.js';
import { computeScores, type ComputedScores } from '../scores/index.js';
import { HeadClassifier } from '../model/head-model.js';
import { HEAD_OOD_WEIGHTS } from '../scores/ood-score.js';
import { DegenerateCovariance, MAHALANOBIS_BLOCK, fitTiedGaussian, mahalanobisScore } from '../scores/mahalanobis.js';
import { knnDistance, knnExcess } from '../scores/knn-distance.js';
import { knnBase, rowsWhere, type Neighbourhood } from './neighbour-search.js';
import { gatherFloatRows, gatherRows } from '../embeddings/gather-rows.js';
import { expectIndices } from '../scores/validate.js';
import type { ScoreInput } from './score-table.js';

/** The scores of the rows `done`, with the neighbour columns they were computed from. */
export interface ScoredRows {
  done: Int32Array;
  /** Every row was scored: the columns below are full height already. */
  complete: boolean;
  scores: ComputedScores;
  doneNeighbours: Int32Array;
  doneSims: Float32Array;
  doneMc: Float32Array | null;
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
  // (knnBase rows are sample indices, checked in knnBaseRows; given has one per sample.)
  const base = Int32Array.from(Array.from(knnBase(input)).filter((r) => given[r]! >= 0));
  if (base.length < 2) return null;
  const blocks: FeatureBlock[] = [{ values: nb.embeddings, dim: nb.dim }];
  if (nb.lowLevel && nb.lowLevelDim > 0) blocks.push({ values: nb.lowLevel, dim: nb.lowLevelDim });
  try {
    return tiedMahalanobis(base, given, rows, blocks);
  } catch (err) {
    // Features with no spread inside a class (given probabilities standing in for features,
    // a handful of identical images) have no covariance to fit: the distance takes no part.
    if (!(err instanceof DegenerateCovariance)) throw err;
    return null;
  }
}

/** One tied Gaussian fitted on the base rows' joint vectors; the rows' distances to it. */
export function tiedMahalanobis(
  base: Int32Array,
  given: Int32Array,
  rows: Int32Array,
  blocks: FeatureBlock[],
): Float32Array {
  expectIndices(base, given.length, 'tiedMahalanobis base');
  const fit = jointRows(base, blocks);
  const model = fitTiedGaussian(
    fit.vectors,
    fit.dim,
    Int32Array.from(base, (r) => given[r]!),
  );
  // The joint vectors of a chunk at a time (not of every row at once: ~0.8 KB a row). Chunks
  // are whole scoring blocks, so each row scores as it would in one call.
  const out = new Float32Array(rows.length);
  for (let start = 0; start < rows.length; start += JOINT_CHUNK)
    out.set(mahalanobisScore(model, jointRows(rows.subarray(start, start + JOINT_CHUNK), blocks).vectors), start);
  return out;
}

/** Rows whose joint vectors are built at a time: a multiple of mahalanobisScore's block. */
const JOINT_CHUNK = 16 * MAHALANOBIS_BLOCK;

/**
 * Scores of the rows `done` only: the held-out reference is among them, and every column
 * is per row given that reference, so the subset gives the same values as a full pass.
 * @param known rows' own kNN distances known without a search (searchNeighbours), or null.
 */
export function scoreRows(
  input: ScoreInput,
  nb: Neighbourhood,
  done: Int32Array,
  known: Float32Array | null,
): ScoredRows {
  const classes = input.classifier.classes;
  const n = input.labels.length;
  const { neighbours, neighbourSims, k } = nb;
  const complete = done.length === n;
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const C = classes.length;
  const given = Int32Array.from(input.labels, (l) => (l === null ? -1 : (classIndex.get(l) ?? -1)));
  // done and the held-out rows index the n-row arrays below; the held-out reference must be
  // among the rows scored, or its position would be -1.
  expectIndices(done, n, 'scored rows');
  const pos = new Int32Array(n).fill(-1);
  done.forEach((r, j) => (pos[r] = j));
  expectIndices(input.heldOutIndices, n, 'held-out rows');
  const unscored = input.heldOutIndices.find((r) => pos[r] === -1);
  if (unscored !== undefined) throw new Error(`scoreRows: held-out row ${unscored} is not among the rows scored`);
  const pickRows = <T extends Float32Array | Int32Array>(src: T, width: number, make: (m: number) => T): T =>
    complete ? src : gatherRows(src, width, done, make);
  const doneSims = pickRows(neighbourSims, k, (m) => new Float32Array(m));
  const doneNeighbours = pickRows(neighbours, k, (m) => new Int32Array(m));
  // Every row's own distance where known, else where searched: the scored rows' neighbours
  // are among them.
  const rowDistance = known ? known.slice() : new Float32Array(n).fill(Number.NaN);
  const searchedRows = rowsWhere(nb.searched, 1, (r) => Number.isNaN(rowDistance[r]));
  // Every row searched (a full pass): their similarities are the column itself, not a copy.
  const searchedSims = searchedRows.length === n ? neighbourSims : gatherFloatRows(neighbourSims, k, searchedRows);
  knnDistance(searchedSims, k).forEach((d, j) => (rowDistance[searchedRows[j]!] = d));
  const doneDistance = Float32Array.from(done, (r) => rowDistance[r]!);
  const scores = computeScores({
    // A head on backbone rows weighs energy more (ood-score.ts); every other model as before.
    ...(input.classifier instanceof HeadClassifier ? { oodWeights: HEAD_OOD_WEIGHTS } : {}),
    mahalanobis: mahalanobisOf(input, nb, given, done),
    knnExcess: knnExcess(doneDistance, doneNeighbours, k, rowDistance),
    logits: pickRows(nb.logits, C, (m) => new Float32Array(m)),
    numClasses: C,
    otherClass: classIndex.get(OTHER_LABEL) ?? -1,
    knnSims: doneSims,
    k,
    heldOutIndices: complete ? input.heldOutIndices : Int32Array.from(input.heldOutIndices, (r) => pos[r]!),
    labels: pickRows(given, 1, (m) => new Int32Array(m)),
    labelIssues: input.labelIssues
      ? { ...input.labelIssues, scores: pickRows(input.labelIssues.scores, 1, (m) => new Float32Array(m)) }
      : null,
    reviewLabels: input.reviewLabels
      ? pickRows(
          Int32Array.from(input.reviewLabels, (l) => (l === null ? -1 : (classIndex.get(l) ?? -1))),
          1,
          (m) => new Int32Array(m),
        )
      : null,
  });
  const doneMc = nb.mcDisagreement ? pickRows(nb.mcDisagreement, 1, (m) => new Float32Array(m)) : null;
  return { done, complete, scores, doneNeighbours, doneSims, doneMc };
}

/**
 * The table: every column full height, the pending rows (not in `want`) with NaN scores, no
 * prediction, lowest priority and no flags.
 */
export function spreadRows(input: ScoreInput, nb: Neighbourhood, rows: ScoredRows, want: Uint8Array): ScoreTable {
  const { done, complete, scores, doneNeighbours, doneSims, doneMc } = rows;
  const classes = input.classifier.classes;
  const n = input.labels.length;
  const C = classes.length;
  const { k } = nb;
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
  return {
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
    mcDisagreement: doneMc ? f32(doneMc) : new Float32Array(n).fill(Number.NaN),
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
}
