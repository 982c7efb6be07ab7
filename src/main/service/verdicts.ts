// Plain-words verdicts for the detail panel: a reviewer should read "looks
// out-of-distribution: farther from every training image than 99% of real samples",
// not a raw 0.31.
import { DoubtFlag, OTHER_BY_DISTANCE, OTHER_LABEL } from '../../shared/api.js';

export interface VerdictInput {
  predicted: string;
  confidence: number;
  given: string | null;
  flags: number;
  /** Percentiles among held-out in-distribution samples, 0..100. */
  oodPercentile: number;
  knnPercentile: number;
  mspPercentile: number;
  labelIssue: number | null;
  nearestLabel: string | null;
  /** The different labels identical files of this sample were given, or null when they agree. */
  conflictLabels?: string[] | null;
}

const pct = (p: number) => `${Math.min(99.9, Math.max(0, p)).toFixed(p >= 99 ? 1 : 0)}%`;

export function verdicts(v: VerdictInput): string[] {
  const out: string[] = [];
  const conf = `${(v.confidence * 100).toFixed(v.confidence > 0.99 ? 1 : 0)}%`;
  if (v.conflictLabels) {
    const labels = v.conflictLabels.map((l) => `"${l}"`);
    out.push(
      `Label conflict: identical files are labeled ${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}; ` +
        'training uses neither until a reviewer decides (a decision applies to every copy).',
    );
  }
  if (v.flags & OTHER_BY_DISTANCE) {
    out.push(
      `Called "other" for its distance: farther from every known class than ${pct(v.oodPercentile)} of real samples, ` +
        `well past what the model's own "other" class covers.`,
    );
  } else if (v.predicted === OTHER_LABEL) {
    out.push(`Called "other" by the model: it resembles the samples marked "other" (${conf}).`);
  }
  // Called 'other' for its distance already says how far it is; and being far is no
  // contradiction of a confident "other".
  if (v.flags & DoubtFlag.ood && !(v.flags & OTHER_BY_DISTANCE)) {
    const sure = v.confidence > 0.9 && v.predicted !== OTHER_LABEL;
    out.push(
      `Looks out-of-distribution: farther from the training images than ${pct(v.knnPercentile)} of real samples` +
        (sure ? ` — yet the model says "${v.predicted}" with ${conf} confidence.` : '.'),
    );
  }
  if (v.flags & DoubtFlag.labelIssue && v.given !== null) {
    // The label check comes from models that never saw this label; the current model did
    // see it, so it may still agree with the given label.
    const doubt = v.labelIssue !== null ? ` (label doubt ${(v.labelIssue * 100).toFixed(0)}%)` : '';
    out.push(
      v.predicted !== v.given
        ? `Likely label error: labeled "${v.given}", but the model says "${v.predicted}"${doubt}.`
        : `Likely label error: labeled "${v.given}", but models that never saw this label disagree${doubt}.`,
    );
  }
  if (v.flags & DoubtFlag.lowConfidence) {
    out.push(
      `Low confidence: the model is less sure than on ${pct(v.mspPercentile)} of real samples (${conf} "${v.predicted}").`,
    );
  }
  if (out.length === 0) {
    out.push(
      `Looks ordinary: the model says "${v.predicted}" with ${conf} confidence, and it resembles its training images.`,
    );
  }
  // The neighbours are known-class training images only: "other" is never among them.
  if (v.nearestLabel !== null && v.predicted === OTHER_LABEL) {
    out.push(`Of the known classes, its nearest training images are mostly "${v.nearestLabel}".`);
  } else if (v.nearestLabel !== null && v.nearestLabel !== v.predicted) {
    out.push(`Its nearest training images are mostly "${v.nearestLabel}", not "${v.predicted}".`);
  }
  return out;
}
