// Opening a project: its workspace folder and `project.json` (which datasets, when it was
// created and last opened). Datasets are read-only to Unsure, so a workspace that would land
// inside one is refused rather than quietly written into the user's data.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../../shared/api.js';
import { writeFileAtomic } from './atomic-write.js';
import { isInside } from './path-inside.js';
import { datasetRoot, projectDirPath, projectIdentity, type ProjectSpec } from './project-dir.js';
import { unsureHome } from './unsure-home.js';

export const PROJECT_FILE = 'project.json';

const ProjectFile = z.object({
  version: z.literal(1),
  projectId: z.string().min(1),
  name: z.string(),
  dataset: z.object({ train: z.string().optional(), pool: z.string().optional(), demo: z.boolean() }),
  createdAt: z.string().datetime(),
  openedAt: z.string().datetime(),
});
export type ProjectFile = z.infer<typeof ProjectFile>;

export interface Project extends Omit<ProjectFile, 'version'> {
  /** Absolute workspace folder. */
  dir: string;
  /** This open made the folder (it did not exist before). */
  created: boolean;
}

export interface OpenProjectOptions {
  /** Unsure's home folder; unsureHome() by default. */
  home?: string;
  now?: Date;
}

/** Throws when dir is inside (or is) one of the spec's dataset folders. */
export function assertOutsideDatasets(dir: string, spec: ProjectSpec): void {
  for (const p of [spec.train, spec.pool]) {
    if (!p) continue;
    const root = datasetRoot(p);
    if (isInside(dir, root)) {
      throw new ApiError(
        'bad_request',
        `project folder ${dir} would be inside the dataset folder ${root}; datasets are read-only to Unsure. ` +
          'Set UNSURE_HOME to a folder outside the dataset.',
      );
    }
  }
}

/** Creates or reopens the project for these datasets and records the time it was opened. */
export async function openProject(spec: ProjectSpec, options: OpenProjectOptions = {}): Promise<Project> {
  const home = options.home ?? unsureHome();
  const id = projectIdentity(spec);
  const dir = projectDirPath(spec, home);
  assertOutsideDatasets(dir, id.dataset);
  const now = (options.now ?? new Date()).toISOString();
  const created = !existsSync(dir);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, PROJECT_FILE);
  const existing = await readProjectFile(file);
  if (existing && existing.projectId !== id.projectId) {
    throw new ApiError('conflict', `${file}: belongs to project ${existing.projectId}, expected ${id.projectId}`);
  }
  const record: ProjectFile = {
    version: 1,
    projectId: id.projectId,
    name: id.name,
    dataset: id.dataset,
    createdAt: existing?.createdAt ?? now,
    openedAt: now,
  };
  await writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n');
  const { version: _version, ...rest } = record;
  return { ...rest, dir, created };
}

/**
 * Undoes openProject's folder when the dataset then failed to open: removed only if this
 * open made it and it still holds nothing but its project.json, so a mistyped or broken
 * dataset leaves no folder behind per try.
 */
export async function discardNewProject(project: Pick<Project, 'dir' | 'created'>): Promise<void> {
  if (!project.created) return;
  const entries = await readdir(project.dir).catch(() => null);
  if (entries && entries.every((e) => e === PROJECT_FILE)) await rm(project.dir, { recursive: true, force: true });
}

/** The project.json in file, null when there is none; a damaged one is an error naming the field. */
export async function readProjectFile(file: string): Promise<ProjectFile | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ApiError('failed', `${file}: not valid JSON (${(err as Error).message})`);
  }
  const r = ProjectFile.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ApiError('failed', `${file}: ${issue?.path.join('.') || 'content'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

/**
 * The workspace folder for these datasets, created with its project.json (or reopened, its
 * openedAt updated). Refuses a folder inside a dataset.
 */
export async function projectDirFor(spec: ProjectSpec, options: OpenProjectOptions = {}): Promise<string> {
  return (await openProject(spec, options)).dir;
}
