// The detail panel's read model: one sample's scores, percentiles, neighbours and verdicts.
import { ApiError, type SampleDetail } from '../../shared/api.js';
import type { ScoreTable, SplitCopyGroup } from '../engine/engine-types.js';
import { percentileOf } from '../engine/scores/thresholds.js';
import { indexOf, type OpenProject } from './project-state.js';
import { verdicts } from './verdicts.js';
import { copyLabels } from '../engine/datasets/assemble.js';

/** The sample's other files as the detail panel lists them: a file of the other dataset says which. */
function otherFiles(g: SplitCopyGroup, split: 'train' | 'pool'): string[] {
  const own = g.files[0]!;
  return g.files
    .filter((f) => f !== own)
    .map(
      (f) =>
        (f.split === split ? f.path : `${f.split}:${f.path}`) +
        (f.label !== null && g.conflict ? ` (labeled ${JSON.stringify(f.label)})` : ''),
    );
}

/** Held-out percentile; 0 where there is no reference (the contract's numbers are never NaN). */
const pct = (ref: Float32Array, x: number) => percentileOf(ref, x) || 0;

export function sampleDetail(p: OpenProject, t: ScoreTable, id: string): SampleDetail {
  const i = indexOf(p, id);
  if (t.scored && !t.scored[i]) {
    throw new ApiError('conflict', 'this training sample is still being scored; it joins the queue in a few seconds');
  }
  const s = p.data.samples[i]!;
  const group = p.data.copies.find((g) => g.sample === i);
  const C = t.classes.length;
  const probs = Array.from(t.probs.subarray(i * C, (i + 1) * C));
  const neighbours = [];
  for (let j = 0; j < t.k; j++) {
    const n = t.neighbours[i * t.k + j]!;
    if (n < 0) continue;
    const ns = p.data.samples[n]!;
    neighbours.push({ id: ns.id, label: ns.label ?? '', similarity: t.neighbourSims[i * t.k + j]! });
  }
  const labelIssue = Number.isNaN(t.labelIssue[i]!) ? null : t.labelIssue[i]!;
  const predicted = t.classes[t.predicted[i]!] ?? '?';
  const percentiles = {
    oodScore: pct(t.heldOut.oodScore, t.oodScore[i]!),
    knnDistance: pct(t.heldOut.knnDistance, t.knnDistance[i]!),
    msp: pct(t.heldOut.msp, t.msp[i]!),
  };
  const counts = new Map<string, number>();
  for (const n of neighbours) counts.set(n.label, (counts.get(n.label) ?? 0) + 1);
  const nearestLabel = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return {
    id,
    path: s.path,
    split: s.split,
    given: s.label,
    predicted,
    confidence: t.confidence[i]!,
    probs,
    scores: {
      msp: t.msp[i]!,
      margin: t.margin[i]!,
      entropy: t.entropy[i]!,
      energy: t.energy[i]!,
      knnDistance: t.knnDistance[i]!,
      mcDisagreement: Number.isNaN(t.mcDisagreement[i]!) ? null : t.mcDisagreement[i]!,
      oodScore: t.oodScore[i]!,
      labelIssue,
      reviewPriority: t.reviewPriority[i]!,
    },
    percentiles,
    verdicts: verdicts({
      predicted,
      confidence: t.confidence[i]!,
      given: s.label,
      flags: t.flags[i]!,
      oodPercentile: percentiles.oodScore,
      knnPercentile: percentiles.knnDistance,
      mspPercentile: percentiles.msp,
      labelIssue,
      nearestLabel,
      conflictLabels: group?.conflict ? copyLabels(group.files) : null,
    }),
    flags: t.flags[i]!,
    neighbours,
    duplicates: group ? otherFiles(group, s.split) : [],
  };
}
