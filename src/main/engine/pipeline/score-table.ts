// Embed every sample once, find each one's k nearest training neighbours (known classes
// only: an 'other' sample in the index would make a distractor look familiar), and turn
// logits + neighbour similarities into the ScoreTable.
import { OTHER_LABEL } from '../../../shared/api.js';
import type { ScoreTable } from '../engine-client.js';
import type { Classifier } from '../model/classifier.js';
import { embedImages } from '../embeddings/embed.js';
import { ExactCosineIndex } from '../embeddings/knn-index.js';
import { computeScores } from '../scores/index.js';
import { PIXELS_PER_IMAGE } from '../types.js';

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
  /** Out-of-fold label issues when the check has run (NaN where not available). */
  labelIssue?: Float32Array | null;
  /**
   * An earlier result for the same model and labels: its logits, embeddings and neighbours
   * are reused and only the score columns are recomputed (e.g. when the label check's
   * column arrives). Embedding and the kNN search are most of a scoring's time.
   */
  reuse?: ScoreResult | null;
}

export interface ScoreResult {
  table: ScoreTable;
  /** n * dim unit-norm embeddings (for "similar" queries). */
  embeddings: Float32Array;
  dim: number;
  /** n * C raw logits. */
  logits: Float32Array;
  temperature: number;
}

interface Neighbourhood {
  logits: Float32Array;
  embeddings: Float32Array;
  dim: number;
  neighbours: Int32Array;
  neighbourSims: Float32Array;
  k: number;
}

type Report = (phase: string, fraction: number, message: string) => void;

async function embedAndSearch(input: ScoreInput, report: Report): Promise<Neighbourhood> {
  const { classifier } = input;
  const n = input.labels.length;
  report('embedding', 0, `Embedding ${n} samples`);
  if (input.pixels.length !== n * PIXELS_PER_IMAGE)
    throw new Error(`${input.pixels.length} pixel bytes for ${n} samples`);
  const e = await embedImages(classifier, input.pixels, {
    onProgress: (d, t) => report('embedding', 0.6 * (d / t), `Embedding: ${d}/${t}`),
  });
  if (!e.embeddings) throw new Error('the model exposes no features to compare samples by');
  const dim = e.dim;

  // kNN base: training samples of known classes.
  const base = Int32Array.from(
    Array.from(input.trainIndices).filter((i) => input.labels[i] !== null && input.labels[i] !== OTHER_LABEL),
  );
  const k = Math.min(input.k ?? DEFAULT_K, Math.max(1, base.length - 1));
  const baseVecs = new Float32Array(base.length * dim);
  base.forEach((r, j) => baseVecs.set(e.embeddings!.subarray(r * dim, (r + 1) * dim), j * dim));
  report('neighbours', 0.6, `Finding ${k} nearest training neighbours of ${n} samples`);
  const index = new ExactCosineIndex(baseVecs, dim);
  let neighbours: Int32Array;
  let neighbourSims: Float32Array;
  try {
    // A training sample must not find itself (similarity 1 would make it look perfectly typical).
    const posInBase = new Int32Array(n).fill(-1);
    base.forEach((r, j) => (posInBase[r] = j));
    const r = index.search(e.embeddings, k, { excludeSelf: posInBase });
    neighbours = Int32Array.from(r.indices, (j) => base[j]);
    neighbourSims = r.sims;
  } finally {
    index.dispose();
  }
  return { logits: e.logits, embeddings: e.embeddings, dim, neighbours, neighbourSims, k };
}

export async function buildScoreTable(input: ScoreInput, report: Report = () => {}): Promise<ScoreResult> {
  const classes = input.classifier.classes;
  const reuse = input.reuse && input.reuse.table.modelVersion === input.modelVersion ? input.reuse : null;
  const nb: Neighbourhood = reuse
    ? { ...reuse, neighbours: reuse.table.neighbours, neighbourSims: reuse.table.neighbourSims, k: reuse.table.k }
    : await embedAndSearch(input, report);
  const { neighbours, neighbourSims, k, dim } = nb;
  report('scoring', 0.9, 'Computing scores');
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const given = Int32Array.from(input.labels, (l) => (l === null ? -1 : (classIndex.get(l) ?? -1)));
  const scores = computeScores({
    logits: nb.logits,
    numClasses: classes.length,
    otherClass: classIndex.get(OTHER_LABEL) ?? -1,
    knnSims: neighbourSims,
    k,
    heldOutIndices: input.heldOutIndices,
    labels: given,
    labelIssue: input.labelIssue ?? null,
  });
  report('done', 1, 'Scores ready');
  const table: ScoreTable = {
    modelVersion: input.modelVersion,
    classes,
    probs: scores.probs,
    predicted: scores.predicted,
    confidence: scores.confidence,
    msp: scores.msp,
    margin: scores.margin,
    entropy: scores.entropy,
    energy: scores.energy,
    knnDistance: scores.knnDistance,
    oodScore: scores.oodScore,
    labelIssue: scores.labelIssue,
    reviewPriority: scores.reviewPriority,
    flags: scores.flags,
    neighbours,
    neighbourSims,
    k,
    thresholds: scores.thresholds,
    heldOut: scores.heldOut,
    heldOutIndices: input.heldOutIndices,
  };
  return { table, embeddings: nb.embeddings, dim, logits: nb.logits, temperature: scores.temperature };
}
