// The recently opened projects, most recent first, for the start screen. A convenience
// list: a damaged file is reported and replaced rather than blocking the app.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RecentProject } from '../../../shared/api.js';
import { writeFileAtomic } from './atomic-write.js';
import { unsureHome } from './unsure-home.js';

export const RECENT_FILE = 'recent.json';
export const MAX_RECENT = 20;

export interface RecentOptions {
  home?: string;
  now?: Date;
  warn?: (message: string) => void;
}

// Read-modify-write of one file: calls in one process must not lose each other's update.
let chain: Promise<unknown> = Promise.resolve();

export async function listRecent(options: RecentOptions = {}): Promise<RecentProject[]> {
  const file = path.join(options.home ?? unsureHome(), RECENT_FILE);
  const warn = options.warn ?? ((m: string) => console.warn(m));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    warn(`${file}: not valid JSON; the recent-projects list starts empty`);
    return [];
  }
  const list = z.array(z.unknown()).safeParse(json);
  if (!list.success) {
    warn(`${file}: not a list; the recent-projects list starts empty`);
    return [];
  }
  const out: RecentProject[] = [];
  for (const item of list.data) {
    const r = RecentProject.safeParse(item);
    if (r.success) out.push(r.data);
    else warn(`${file}: dropped an entry that is not a recent project`);
  }
  return out.slice(0, MAX_RECENT);
}

/** Puts the project first in the recent list (once), keeps at most MAX_RECENT; returns the new list. */
export function touchRecent(
  project: Omit<RecentProject, 'openedAt'> & { openedAt?: string },
  options: RecentOptions = {},
): Promise<RecentProject[]> {
  const run = chain.then(async () => {
    const home = options.home ?? unsureHome();
    const entry = RecentProject.parse({
      projectId: project.projectId,
      name: project.name,
      dataset: project.dataset,
      openedAt: project.openedAt ?? (options.now ?? new Date()).toISOString(),
    });
    const rest = (await listRecent({ ...options, home })).filter((p) => p.projectId !== entry.projectId);
    const next = [entry, ...rest].slice(0, MAX_RECENT);
    await mkdir(home, { recursive: true });
    await writeFileAtomic(path.join(home, RECENT_FILE), JSON.stringify(next, null, 2) + '\n');
    return next;
  });
  chain = run.catch(() => undefined);
  return run;
}
