// Words for the doubt and file flags, shared by tile badges, tab labels and accessible names.
import { DoubtFlag, FileFlag, OTHER_BY_DISTANCE, type DoubtKind } from '../../../shared/api.js';
import { weakModelAccuracy } from '../../../shared/label-doubt.js';

export const DOUBT_WORDS: Record<DoubtKind, string> = {
  lowConfidence: 'low confidence',
  ood: 'out-of-distribution',
  labelIssue: 'likely label error',
};

export const DOUBT_TAB_TITLES: Record<DoubtKind | 'all', string> = {
  all: 'All',
  lowConfidence: 'Low confidence',
  ood: 'Out-of-distribution',
  labelIssue: 'Likely label error',
};

export const DOUBT_SHORT: Record<DoubtKind, string> = { lowConfidence: 'LOW', ood: 'OOD', labelIssue: 'LBL?' };

/** What to say above the label-issue queue when the model is too weak for its doubts to mean wrong labels. */
export function labelDoubtNote(heldOutAccuracy: number | null): string | null {
  const weak = weakModelAccuracy(heldOutAccuracy);
  return (
    weak &&
    `The model is ${weak}, so many of these are its own mistakes rather than wrong labels: keep the labels that are right.`
  );
}

/** A job's 0..1 progress as a whole percentage, clamped. */
export function progressPercent(fraction: number): number {
  return Math.round(100 * Math.min(1, Math.max(0, fraction)));
}

/**
 * What to say above the label-issue queue: while the label check runs, that it does (an empty
 * tab would read as "no label errors"); after it, whether the model is too weak to trust.
 */
export function labelTabNote(
  labelCheck: { fraction: number; etaSec?: number } | null,
  heldOutAccuracy: number | null,
): string | null {
  if (!labelCheck) return labelDoubtNote(heldOutAccuracy);
  const eta = labelCheck.etaSec !== undefined ? `, about ${formatEta(labelCheck.etaSec)} left` : '';
  return (
    `Checking the labels with models that never saw them: ${progressPercent(labelCheck.fraction)}%${eta}. ` +
    'Likely label errors join this tab when the check finishes.'
  );
}

export function doubtKinds(flags: number): DoubtKind[] {
  return (Object.keys(DoubtFlag) as DoubtKind[]).filter((k) => (flags & DoubtFlag[k]) !== 0);
}

export type FileKind = keyof typeof FileFlag;

export const FILE_WORDS: Record<FileKind, string> = {
  copies: 'has identical files',
  labelConflict: 'identical files labeled differently',
};

export const FILE_SHORT: Record<FileKind, string> = { copies: 'DUP', labelConflict: 'LBL≠' };

/** The file facts of a queue row's flags (FileFlag bits). */
export function fileKinds(flags: number): FileKind[] {
  return (Object.keys(FileFlag) as FileKind[]).filter((k) => (flags & FileFlag[k]) !== 0);
}

export function percent(p: number): string {
  const v = p * 100;
  // 99.96% rounds to "100%": the story is a model "100% sure" of a scribble, keep it honest.
  return `${v >= 99.5 ? Math.round(v) : v >= 10 ? v.toFixed(0) : v.toFixed(1)}%`;
}

/** Accuracy needs a decimal: 98.1% vs 98.4% is the difference a retrain makes. */
export function accuracy(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/**
 * How sure a prediction is, as a tile shows it: the probability, except for a sample called
 * "other" for its distance, where p(other) is small (the model's "other" class never saw its
 * kind) and "other at 0.1%" would read as a contradiction.
 */
export function certainty(confidence: number, flags: number): string {
  return flags & OTHER_BY_DISTANCE ? 'far' : percent(confidence);
}

export interface TileFacts {
  predicted: string;
  confidence: number;
  flags: number;
  given: string | null;
  decision: { label: string | null; action: string } | null;
}

/** Accessible name of a tile, e.g. "predicted 0, 100% confident, out-of-distribution". */
export function tileName(t: TileFacts): string {
  const parts = [
    `predicted ${t.predicted}`,
    t.flags & OTHER_BY_DISTANCE ? 'far from every known class' : `${percent(t.confidence)} confident`,
  ];
  for (const k of doubtKinds(t.flags)) parts.push(DOUBT_WORDS[k]);
  for (const k of fileKinds(t.flags)) parts.push(FILE_WORDS[k]);
  if (t.given !== null) parts.push(`given ${t.given}`);
  if (t.decision) parts.push(t.decision.action === 'skip' ? 'skipped' : `decided ${t.decision.label}`);
  return parts.join(', ');
}

export function formatEta(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec)) return '';
  if (sec < 60) return `${Math.ceil(sec)} s`;
  const m = Math.floor(sec / 60);
  const s = Math.round(sec % 60);
  return `${m} min ${s.toString().padStart(2, '0')} s`;
}

const CHANNEL_WORDS: Record<number, string> = { 1: 'grey', 2: 'grey + alpha', 3: 'RGB', 4: 'RGBA or CMYK' };

/** A file's own size as the detail panel shows it: "500 x 375, RGB". */
export function nativeSize(s: { width: number; height: number; channels: number }): string {
  return `${s.width} x ${s.height}, ${CHANNEL_WORDS[s.channels] ?? `${s.channels} channels`}`;
}

/** The model family in two words (the top bar, the recent list). */
export const FAMILY_SHORT = { cnn: 'small CNN', backbone: 'backbone + head' } as const;

/** The model line of the top bar's tooltip: family, why, and the recipe. */
export function modelFacts(m: { arch: string; reason: string; recipe: string }): string {
  const family = m.arch === 'backbone' ? 'pretrained backbone + trained head' : 'small CNN';
  return `${family}: ${m.reason}\nRecipe: ${m.recipe}`;
}
