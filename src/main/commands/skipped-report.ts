// Files a dataset reader left out: the first few on stderr as soon as the dataset is open, all
// of them in a report file beside the output (`<out>.skipped.txt`; engine/datasets/skipped-report.ts).
import { skippedLine as line, type SkippedFiles as Skipped } from '../engine/datasets/skipped-report.js';

export { writeSkippedReport } from '../engine/datasets/skipped-report.js';

/** How many skipped files stderr names before it says "and N more". */
export const SKIPPED_SHOWN = 10;

export function skippedReportPath(out: string): string {
  return `${out}.skipped.txt`;
}

/** The stderr lines: the first SKIPPED_SHOWN by path and reason, then a count. Empty when none. */
export function skippedSummary(skipped: Skipped, reportFile: string): string {
  if (skipped.length === 0) return '';
  const shown = skipped.slice(0, SKIPPED_SHOWN).map((s) => `  ${line(s)}\n`);
  const more = skipped.length > SKIPPED_SHOWN ? `  and ${skipped.length - SKIPPED_SHOWN} more\n` : '';
  return `unsure: skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} (all listed in ${reportFile}):\n${shown.join('')}${more}`;
}
