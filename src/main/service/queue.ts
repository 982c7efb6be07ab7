// What the review queue sends, in two parts: the samples (ids and static columns), built
// once per opening, and each revision's ranking. The ids are random hex, so they were most
// of a queue's bytes even gzipped; a re-ranking now sends only indices and small columns.
import { assignableLabels, FileFlag, type Queue, type Samples } from '../../shared/api.js';
import type { OpenResult, ScoreTable } from '../engine/engine-types.js';
import { expectScoreTable } from '../engine/pipeline/table-shape.js';

/** The opened dataset's samples, in its own order: what Queue.order indexes. */
export function buildSamples(data: OpenResult, openId: string): Samples {
  const labels = assignableLabels(data.classes);
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const foreignGiven: Record<string, string> = {};
  data.samples.forEach((s, i) => {
    if (s.label !== null && !labelIndex.has(s.label)) foreignGiven[i] = s.label;
  });
  return {
    openId,
    ids: data.samples.map((s) => s.id),
    split: data.samples.map((s) => (s.split === 'train' ? 0 : 1)),
    given: data.samples.map((s) => (s.label === null ? -1 : (labelIndex.get(s.label) ?? -1))),
    ...(Object.keys(foreignGiven).length > 0 ? { foreignGiven } : {}),
  };
}

/** FileFlag bits of every sample: which have copies, which are label conflicts. */
export function fileFlagsOf(data: Pick<OpenResult, 'samples' | 'copies'>): Uint8Array {
  const out = new Uint8Array(data.samples.length);
  for (const g of data.copies) out[g.sample] = FileFlag.copies | (g.conflict ? FileFlag.labelConflict : 0);
  return out;
}

/** Counts for the top bar: files that repeat an earlier one, samples whose files disagree. */
export function copyCountsOf(data: Pick<OpenResult, 'copies'>): { duplicates: number; labelConflicts: number } {
  let duplicates = 0;
  let labelConflicts = 0;
  for (const g of data.copies) {
    duplicates += g.files.length - 1;
    if (g.conflict) labelConflicts++;
  }
  return { duplicates, labelConflicts };
}

/**
 * The queue: every scored sample, most doubtful first. After a first pass (t.scored) that is
 * the pool and the held-out samples; the training samples join when their scores are in.
 */
export function buildQueue(
  t: ScoreTable,
  n: number,
  openId: string,
  revision: string,
  fileFlags: Uint8Array | null = null,
): Queue {
  // Every column then has n rows, so the lookups below by a row i < n are in range; the
  // read models rely on this check too, since every table the service shows passes here.
  expectScoreTable(t, n, 'the new score table');
  const scored = t.scored;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (!scored || scored[i]) rows.push(i);
  const order = rows.sort((a, b) => t.reviewPriority[b]! - t.reviewPriority[a]!);
  return {
    modelVersion: t.modelVersion,
    revision,
    openId,
    order,
    predicted: order.map((i) => t.predicted[i]!),
    confidence: order.map((i) => round3(t.confidence[i]!)),
    flags: order.map((i) => t.flags[i]! | (fileFlags?.[i] ?? 0)),
  };
}

const round3 = (x: number) => Math.round(x * 1e3) / 1e3;
