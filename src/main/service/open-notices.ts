// What opening a dataset tells the reviewer beyond the queue: files left out, and labels the
// pool gives that the model cannot have.
import { assignableLabels, errorMessage } from '../../shared/api.js';
import type { OpenResult } from '../engine/engine-types.js';
import { skippedNotice, writeSkippedReport, type SkippedFiles } from '../engine/datasets/skipped-report.js';

/** The project folder's list of the dataset files left out when it was last opened. */
export const SKIPPED_REPORT = 'skipped-files.txt';

/** Writes the list of skipped files (a failure to write it only drops its path from the notice). */
export async function skippedFilesNotice(skipped: SkippedFiles, report: string): Promise<string | null> {
  try {
    await writeSkippedReport(skipped, report);
    return skippedNotice(skipped, report);
  } catch (err) {
    console.warn(`unsure: could not write ${report}: ${errorMessage(err)}`);
    return skippedNotice(skipped, null);
  }
}

/**
 * Labels the pool gives that no training sample has: they cannot be a class of the model
 * (trainingLabels), so the queue shows those samples as unlabeled; say so once.
 */
export function poolOnlyLabelsNotice(data: Pick<OpenResult, 'samples' | 'classes'>): string | null {
  const known = new Set(assignableLabels(data.classes));
  const counts = new Map<string, number>();
  for (const s of data.samples)
    if (s.split === 'pool' && s.label !== null && !known.has(s.label))
      counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
  if (counts.size === 0) return null;
  const named = [...counts]
    .slice(0, 5)
    .map(([l, n]) => `'${l}' (${n.toLocaleString('en')})`)
    .join(', ');
  const more = counts.size > 5 ? ` and ${counts.size - 5} more` : '';
  return (
    `The pool gives labels the training set lacks: ${named}${more}. No class of the model is one of them, so ` +
    'the model never predicts them and a reviewer cannot assign them; add training images of a class to learn it.'
  );
}
