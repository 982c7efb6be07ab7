// Files a dataset reader left out (unreadable, over the limits, a link out of the root...):
// the first few on stderr as soon as the dataset is open, all of them in a report file
// beside the output (`<out>.skipped.txt`, written atomically; removed when nothing was skipped).
import { rm } from 'node:fs/promises';
import type { OpenResult } from '../engine/engine-types.js';
import { writeFileAtomic } from '../engine/project/atomic-write.js';

type Skipped = NonNullable<OpenResult['skipped']>;

/** How many skipped files stderr names before it says "and N more". */
export const SKIPPED_SHOWN = 10;

export function skippedReportPath(out: string): string {
  return `${out}.skipped.txt`;
}

const line = (s: Skipped[number]) => `${s.split}: ${s.path}: ${s.reason}`;

/** The stderr lines: the first SKIPPED_SHOWN by path and reason, then a count. Empty when none. */
export function skippedSummary(skipped: Skipped, reportFile: string): string {
  if (skipped.length === 0) return '';
  const shown = skipped.slice(0, SKIPPED_SHOWN).map((s) => `  ${line(s)}\n`);
  const more = skipped.length > SKIPPED_SHOWN ? `  and ${skipped.length - SKIPPED_SHOWN} more\n` : '';
  return `unsure: skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} (all listed in ${reportFile}):\n${shown.join('')}${more}`;
}

/** Writes the full list beside the output, or removes an earlier report when nothing was skipped. */
export async function writeSkippedReport(skipped: Skipped, reportFile: string): Promise<void> {
  if (skipped.length === 0) {
    await rm(reportFile, { force: true });
    return;
  }
  await writeFileAtomic(reportFile, skipped.map((s) => `${line(s)}\n`).join(''));
}
