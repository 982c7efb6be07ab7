// The detail panel's read model: one sample's scores, percentiles, neighbours and verdicts.
import { ApiError, type SampleDetail } from '../../shared/api.js';
import { itemAt } from '../../shared/checked-index.js';
import type { ScoreTable, SplitCopyGroup } from '../engine/engine-types.js';
import { percentileOf } from '../engine/scores/thresholds.js';
import { sampleOf, type OpenProject } from './project-state.js';
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
const nanToNull = (x: number) => (Number.isNaN(x) ? null : x);

export function sampleDetail(p: OpenProject, t: ScoreTable, id: string): SampleDetail {
  const { i, sample: s } = sampleOf(p, id);
  // One sample's value of a column; the service took the table in only if it has a value
  // for every sample (buildQueue's check), so this names a broken invariant, never a user error.
  const at = (column: ArrayLike<number>, name: string) => itemAt(column, i, `score table ${name}`);
  if (t.scored && !at(t.scored, 'scored')) {
    throw new ApiError('conflict', 'this training sample is still being scored; it joins the queue in a few seconds');
  }
  const group = p.data.copies.find((g) => g.sample === i);
  const C = t.classes.length;
  const probs = Array.from(t.probs.subarray(i * C, (i + 1) * C));
  const neighbours = [];
  for (let j = 0; j < t.k; j++) {
    const n = itemAt(t.neighbours, i * t.k + j, 'score table neighbours');
    if (n < 0) continue;
    const ns = itemAt(p.data.samples, n, 'neighbour samples');
    neighbours.push({
      id: ns.id,
      label: ns.label ?? '',
      similarity: itemAt(t.neighbourSims, i * t.k + j, 'score table neighbourSims'),
    });
  }
  const labelIssue = nanToNull(at(t.labelIssue, 'labelIssue'));
  const predicted = t.classes[at(t.predicted, 'predicted')] ?? '?';
  const percentiles = {
    oodScore: pct(t.heldOut.oodScore, at(t.oodScore, 'oodScore')),
    knnDistance: pct(t.heldOut.knnDistance, at(t.knnDistance, 'knnDistance')),
    msp: pct(t.heldOut.msp, at(t.msp, 'msp')),
  };
  const counts = new Map<string, number>();
  for (const n of neighbours) counts.set(n.label, (counts.get(n.label) ?? 0) + 1);
  const nearestLabel = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return {
    id,
    path: s.path,
    file: s.file,
    size: s.size ? { width: s.size.width, height: s.size.height, channels: s.size.channels } : null,
    split: s.split,
    given: s.label,
    predicted,
    confidence: at(t.confidence, 'confidence'),
    probs,
    scores: {
      msp: at(t.msp, 'msp'),
      margin: at(t.margin, 'margin'),
      entropy: at(t.entropy, 'entropy'),
      energy: at(t.energy, 'energy'),
      knnDistance: at(t.knnDistance, 'knnDistance'),
      mcDisagreement: nanToNull(at(t.mcDisagreement, 'mcDisagreement')),
      oodScore: at(t.oodScore, 'oodScore'),
      labelIssue,
      reviewPriority: at(t.reviewPriority, 'reviewPriority'),
    },
    percentiles,
    verdicts: verdicts({
      predicted,
      confidence: at(t.confidence, 'confidence'),
      given: s.label,
      flags: at(t.flags, 'flags'),
      oodPercentile: percentiles.oodScore,
      knnPercentile: percentiles.knnDistance,
      mspPercentile: percentiles.msp,
      labelIssue,
      nearestLabel,
      conflictLabels: group?.conflict ? copyLabels(group.files) : null,
    }),
    flags: at(t.flags, 'flags'),
    neighbours,
    duplicates: group ? otherFiles(group, s.split) : [],
  };
}
