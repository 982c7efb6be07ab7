// Decisions the renderer appends are checked against the project before any is written.
import { ApiError, assignableLabels, type JournalEntry } from '../../shared/api.js';
import { entryProblem } from '../../shared/journal-fold.js';
import { sampleOf, type OpenProject } from './project-state.js';

/** Throws a bad_request naming the first entry with an unknown sample, label or contradiction. */
export function checkAppendedEntries(p: OpenProject, entries: readonly JournalEntry[]): void {
  // One label set for the whole batch: recomputing project info per entry made 1,000
  // entries take seconds (it counts every sample).
  const labels = new Set(assignableLabels(p.data.classes));
  entries.forEach((e, i) => {
    if (e.kind !== 'decision') return;
    const { sample } = sampleOf(p, e.sampleId);
    if (e.after !== null && !labels.has(e.after)) {
      throw new ApiError(
        'bad_request',
        `entry ${i}: label ${JSON.stringify(e.after)} is not one of this project's labels`,
      );
    }
    // The fold's contract (src/shared/journal-fold.ts): no entry whose `after` contradicts its action.
    const problem = entryProblem(e, sample.label);
    if (problem) throw new ApiError('bad_request', `entry ${i} (sample ${e.sampleId}): ${problem}`);
  });
}
