import {
  bytesPerImage,
  DatasetError,
  DIGIT_SHAPE,
  type CopyFile,
  type CopyGroup,
  type DatasetKind,
  type LoadedDataset,
  type Sample,
} from '../types.js';
import { assignableLabels, OTHER_LABEL } from '../../../shared/api.js';
import { itemAt } from '../../../shared/checked-index.js';
import { compareNatural } from './natural-sort.js';

// 'other' (the "other" class, not any known class) is part of the API contract.
export { OTHER_LABEL };
/** A class folder of this name holds unlabeled samples (as Unsure's exporter writes them). */
export const UNLABELED_FOLDER = 'unlabeled';

/**
 * Builds a LoadedDataset from rows (files) in load order. A sample is the content: rows
 * whose id (bytes) was already seen share the first one's sample (its pixels are kept
 * once) and are listed with it in `copies`. Copies given different labels are a label
 * conflict: the sample's label is null until a reviewer decides; an unlabeled copy takes
 * the label of a labeled one.
 */
export function assembleDataset(
  kind: DatasetKind,
  root: string,
  rows: Sample[],
  pixels: Uint8Array,
  extra: Partial<Pick<LoadedDataset, 'idx' | 'skipped' | 'shape' | 'family'>> = {},
): LoadedDataset {
  const shape = extra.shape ?? DIGIT_SHAPE;
  const size = bytesPerImage(shape);
  if (pixels.length !== rows.length * size) {
    throw new RangeError(`assembleDataset: ${pixels.length} pixel bytes for ${rows.length} samples`);
  }
  const sampleById = new Map<string, number>();
  const groupOf = new Map<number, CopyGroup>();
  const keep: number[] = [];
  rows.forEach((row, i) => {
    const first = sampleById.get(row.id);
    if (first === undefined) {
      sampleById.set(row.id, keep.length);
      keep.push(i);
      return;
    }
    let group = groupOf.get(first);
    if (!group) {
      const at = itemAt(keep, first, 'kept rows');
      group = { sample: first, files: [copyFile(itemAt(rows, at, 'rows'), at)], conflict: false };
      groupOf.set(first, group);
    }
    group.files.push(copyFile(row, i));
  });

  let kept = pixels;
  if (keep.length !== rows.length) {
    kept = new Uint8Array(keep.length * size);
    keep.forEach((src, dst) => {
      kept.set(pixels.subarray(src * size, (src + 1) * size), dst * size);
    });
  }
  const samples = keep.map((i) => itemAt(rows, i, 'rows'));
  const copies = [...groupOf.values()];
  for (const g of copies) {
    const labels = copyLabels(g.files);
    g.conflict = labels.length > 1;
    const label = g.conflict ? null : (labels[0] ?? null);
    const own = itemAt(samples, g.sample, 'samples');
    if (label !== own.label) samples[g.sample] = { ...own, label };
  }
  return {
    kind,
    root,
    samples,
    pixels: kept,
    classes: classesOf(samples),
    copies,
    skipped: [],
    family: DIGITS_FAMILY,
    ...extra,
    shape,
  };
}

/** Records without files (IDX, the demo) are MNIST-like digits by construction. */
const DIGITS_FAMILY = { arch: 'cnn', reason: 'Grey records (IDX or the demo): the small CNN' } as const;

function copyFile(row: Sample, at: number): CopyFile {
  return { path: row.path, file: row.file, label: row.label, at };
}

/** The different labels a sample's files were given, unlabeled files left out, in first-seen order. */
export function copyLabels(files: readonly { label: string | null }[]): string[] {
  return [...new Set(files.flatMap((f) => (f.label === null ? [] : [f.label])))];
}

/** Sorted labels present, 'other' excluded, numeric-aware ('2' before '10'). */
export function classesOf(samples: readonly Sample[]): string[] {
  const set = new Set<string>();
  for (const s of samples) if (s.label !== null && s.label !== OTHER_LABEL) set.add(s.label);
  return [...set].sort(compareNatural);
}

/**
 * Images a class needs so that one can be held out and two still train: the held-out split
 * (pipeline/holdout.ts) takes one of every class of two or more, and the Mahalanobis fit
 * (scores/mahalanobis.ts) needs some class with two training images to see any variation.
 */
export const MIN_CLASS_IMAGES = 3;

/**
 * Classes whose every file is a label conflict (identical files labelled differently: neither
 * label trains), as the end of the message that would otherwise wonder where they went.
 */
function lostToConflicts(ds: LoadedDataset): string {
  const kept = new Set(assignableLabels(ds.classes));
  const lost = [
    ...new Set(ds.copies.filter((g) => g.conflict).flatMap((g) => copyLabels(g.files).filter((l) => !kept.has(l)))),
  ];
  if (lost.length === 0) return '';
  const named = lost.map((l) => `'${l}'`).join(', ');
  return ` (${named} ${lost.length === 1 ? 'is' : 'are'} given only to label conflicts: identical files with different labels, which train neither)`;
}

/** A training set needs at least two classes, and one big enough to hold out from; a review pool does not. */
export function assertTrainable(ds: LoadedDataset): void {
  const where = ds.root || 'the demo';
  if (ds.classes.length === 0 && ds.samples.some((s) => s.label === OTHER_LABEL)) {
    throw new DatasetError(
      `Dataset ${where} has only '${OTHER_LABEL}' samples: a training set needs labels from at least two known classes`,
    );
  }
  if (ds.classes.length === 0) {
    throw new DatasetError(
      `Dataset ${where} has no labeled samples: a training set needs labels from at least two classes`,
    );
  }
  if (ds.classes.length < 2) {
    throw new DatasetError(
      `Dataset ${where} has a single class ('${ds.classes[0]}'): a training set needs at least two classes${lostToConflicts(ds)}`,
    );
  }
  const counts = new Map<string, number>();
  for (const s of ds.samples) if (s.label !== null) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
  if (ds.classes.every((c) => (counts.get(c) ?? 0) < MIN_CLASS_IMAGES)) {
    // ds.classes has at least two entries here (checked above); the first largest wins.
    const small = ds.classes.reduce((a, c) => ((counts.get(c) ?? 0) > (counts.get(a) ?? 0) ? c : a));
    const n = counts.get(small) ?? 0;
    throw new DatasetError(
      `Dataset ${where}: class '${small}' has ${n} image${n === 1 ? '' : 's'} and no class has more; ` +
        `each class needs at least ${MIN_CLASS_IMAGES} so that some can be held out and the rest still train`,
    );
  }
}
