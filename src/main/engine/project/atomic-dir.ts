// Replacing a folder so that a kill at any moment leaves either the old or the new one at
// the target, or a hidden sibling that the next run puts back. The new folder is filled
// under `.<name>.unsure-tmp-<pid>-<rand>`, the old one moves to `.<name>.unsure-old-<pid>-<rand>`,
// the new one is renamed into place and the old one removed. Each of these folders holds a
// marker file saying Unsure made it; nothing without that marker is ever moved or removed.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { killPoint } from './kill-point.js';

interface MarkerBody {
  by: 'unsure';
  pid: number;
  nonce: string;
}

const SIBLING = /^\.(.+)\.unsure-(tmp|old)-(\d+)-([a-z0-9]+)$/;

export function isPidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function siblingPath(target: string, kind: 'tmp' | 'old', nonce: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.unsure-${kind}-${process.pid}-${nonce}`);
}

async function readMarker(dir: string, marker: string): Promise<MarkerBody | null> {
  try {
    const body = JSON.parse(await readFile(path.join(dir, marker), 'utf8')) as Partial<MarkerBody>;
    return body.by === 'unsure' && typeof body.pid === 'number' ? (body as MarkerBody) : null;
  } catch {
    return null;
  }
}

/** True when dir holds Unsure's marker file (it made that folder). */
export function hasMarker(dir: string, marker: string): boolean {
  return existsSync(path.join(dir, marker));
}

async function writeMarker(dir: string, marker: string, nonce: string): Promise<void> {
  const body: MarkerBody = { by: 'unsure', pid: process.pid, nonce };
  await writeFile(path.join(dir, marker), `${JSON.stringify(body)}\n`);
}

export interface TempDir {
  dir: string;
  nonce: string;
}

/** A fresh hidden temp folder beside target, holding this process's marker. Recovers first. */
export async function makeTempSibling(target: string, marker: string): Promise<TempDir> {
  await mkdir(path.dirname(target), { recursive: true });
  await recoverSiblings(target, marker);
  const nonce = randomBytes(4).toString('hex');
  const dir = siblingPath(target, 'tmp', nonce);
  await mkdir(dir);
  await writeMarker(dir, marker, nonce);
  return { dir, nonce };
}

/** Removes tmp only when its marker says this very process made it. */
export async function removeIfOurs(tmp: TempDir, marker: string): Promise<void> {
  const body = await readMarker(tmp.dir, marker);
  if (body && body.pid === process.pid && body.nonce === tmp.nonce) await rm(tmp.dir, { recursive: true, force: true });
}

/**
 * Moves the finished temp folder to target, replacing what is there. `label` names the kill
 * points ('<label>-tmp-written', '<label>-old-moved', '<label>-new-in-place') for the kill tests.
 */
export async function swapIntoPlace(tmp: TempDir, target: string, marker: string, label: string): Promise<void> {
  killPoint(`${label}-tmp-written`, target);
  let old: string | null = null;
  if (existsSync(target)) {
    // The old folder gets a marker too, so that the next run knows it may restore or remove it.
    if (!hasMarker(target, marker)) await writeMarker(target, marker, tmp.nonce);
    old = siblingPath(target, 'old', tmp.nonce);
    await rename(target, old);
    killPoint(`${label}-old-moved`, target);
  }
  try {
    await rename(tmp.dir, target);
  } catch (err) {
    if (old) await rename(old, target).catch(() => undefined);
    throw err;
  }
  killPoint(`${label}-new-in-place`, target);
  if (old) await rm(old, { recursive: true, force: true });
}

/**
 * Undoes what a killed replace left: when target is missing, the newest complete old copy
 * is renamed back; then every marked tmp/old sibling of a process no longer alive is removed.
 */
export async function recoverSiblings(target: string, marker: string): Promise<void> {
  const parent = path.dirname(target);
  const name = path.basename(target);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  const stale: { full: string; kind: 'tmp' | 'old'; mtime: number }[] = [];
  for (const e of entries) {
    const m = SIBLING.exec(e);
    if (!m || m[1] !== name || isPidAlive(Number(m[3]))) continue;
    const full = path.join(parent, e);
    if (!(await readMarker(full, marker))) continue;
    const mtime = (await stat(full).catch(() => null))?.mtimeMs ?? 0;
    stale.push({ full, kind: m[2] === 'old' ? 'old' : 'tmp', mtime }); // SIBLING: (tmp|old)
  }
  if (!existsSync(target)) {
    const olds = stale.filter((s) => s.kind === 'old').sort((a, b) => b.mtime - a.mtime);
    if (olds[0]) {
      await rename(olds[0].full, target);
      stale.splice(stale.indexOf(olds[0]), 1);
    }
  }
  for (const s of stale) await rm(s.full, { recursive: true, force: true });
}

/** recoverSiblings for every folder in parent that a killed replace left siblings of. */
export async function recoverAllSiblings(parent: string, marker: string): Promise<void> {
  const entries = await readdir(parent).catch(() => [] as string[]);
  const targets = new Set(entries.flatMap((e) => SIBLING.exec(e)?.[1] ?? []));
  for (const name of targets) await recoverSiblings(path.join(parent, name), marker);
}
