import {
  DatasetError,
  imageAt,
  PIXELS_PER_IMAGE,
  type DatasetKind,
  type LoadedDataset,
  type Sample,
} from '../types.js';
import { OTHER_LABEL } from '../../../shared/api.js';
import { compareNatural } from './natural-sort.js';

// 'other' (the "other" class, not any known class) is part of the API contract.
export { OTHER_LABEL };
/** A class folder of this name holds unlabeled samples (as Unsure's exporter writes them). */
export const UNLABELED_FOLDER = 'unlabeled';

/**
 * Builds a LoadedDataset from rows in load order: rows whose id (bytes) was already seen
 * are dropped, the first one is kept, and each group of paths is reported in `duplicates`.
 */
export function assembleDataset(
  kind: DatasetKind,
  root: string,
  rows: Sample[],
  pixels: Uint8Array,
  extra: Pick<LoadedDataset, 'idx'> = {},
): LoadedDataset {
  if (pixels.length !== rows.length * PIXELS_PER_IMAGE) {
    throw new RangeError(`assembleDataset: ${pixels.length} pixel bytes for ${rows.length} samples`);
  }
  const firstById = new Map<string, number>();
  const groups = new Map<string, string[]>();
  const keep: number[] = [];
  rows.forEach((row, i) => {
    const first = firstById.get(row.id);
    if (first === undefined) {
      firstById.set(row.id, i);
      keep.push(i);
      return;
    }
    let group = groups.get(row.id);
    if (!group) groups.set(row.id, (group = [rows[first].path]));
    group.push(row.path);
  });

  let kept = pixels;
  if (keep.length !== rows.length) {
    kept = new Uint8Array(keep.length * PIXELS_PER_IMAGE);
    keep.forEach((src, dst) => {
      kept.set(imageAt(pixels, src), dst * PIXELS_PER_IMAGE);
    });
  }
  const samples = keep.map((i) => rows[i]);
  return {
    kind,
    root,
    samples,
    pixels: kept,
    classes: classesOf(samples),
    duplicates: [...groups.values()],
    ...extra,
  };
}

/** Sorted labels present, 'other' excluded, numeric-aware ('2' before '10'). */
export function classesOf(samples: readonly Sample[]): string[] {
  const set = new Set<string>();
  for (const s of samples) if (s.label !== null && s.label !== OTHER_LABEL) set.add(s.label);
  return [...set].sort(compareNatural);
}

/** A training set needs at least two classes; a review pool does not. */
export function assertTrainable(ds: LoadedDataset): void {
  const where = ds.root || 'the demo';
  if (ds.classes.length === 0) {
    throw new DatasetError(
      `Dataset ${where} has no labeled samples: a training set needs labels from at least two classes`,
    );
  }
  if (ds.classes.length < 2) {
    throw new DatasetError(
      `Dataset ${where} has a single class ('${ds.classes[0]}'): a training set needs at least two classes`,
    );
  }
}
