// The files a dataset reader left out (unreadable, over the limits, a link out of the root...),
// listed in full in a report file, one line each: the CLI writes it beside its output, the app
// into the project folder.
import { rm } from 'node:fs/promises';
import type { OpenResult } from '../engine-types.js';
import { writeFileAtomic } from '../project/atomic-write.js';

export type SkippedFiles = NonNullable<OpenResult['skipped']>;

export const skippedLine = (s: SkippedFiles[number]): string => `${s.split}: ${s.path}: ${s.reason}`;

/** Writes the full list (atomically), or removes an earlier report when nothing was skipped. */
export async function writeSkippedReport(skipped: SkippedFiles, reportFile: string): Promise<void> {
  if (skipped.length === 0) {
    await rm(reportFile, { force: true });
    return;
  }
  await writeFileAtomic(reportFile, skipped.map((s) => `${skippedLine(s)}\n`).join(''));
}

/** One line for the app's notices: how many, the first with its reason, where the rest are. */
export function skippedNotice(skipped: SkippedFiles, reportFile: string | null): string | null {
  const [first] = skipped;
  if (!first) return null;
  const n = skipped.length;
  const more = n > 1 ? ` and ${(n - 1).toLocaleString('en')} more` : '';
  const where = reportFile ? `; all listed in ${reportFile}` : '';
  return `${n.toLocaleString('en')} file${n === 1 ? '' : 's'} could not be read and ${n === 1 ? 'is' : 'are'} left out: ${first.path} ${first.reason}${more}${where}`;
}
