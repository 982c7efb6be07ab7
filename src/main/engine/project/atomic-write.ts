// Whole-file writes that a crash can never leave half-written: the new content goes to a
// hidden temp file beside the target (`.<name>.tmp-<pid>-<rand>`), is flushed, then renamed
// over it (rename is atomic within one file system, so a reader sees either the old file or
// the new one). A temp left by a killed process is removed by the next write to the target.
import { readdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isPidAlive } from './atomic-dir.js';
import { killPoint, killPointArmed } from './kill-point.js';

const TEMP = /^\.(.+)\.tmp-(\d+)-[a-z0-9]+$/;

export function tempFileFor(file: string): string {
  const rand = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${rand}`);
}

/** Removes the temps of file left by processes that are no longer alive. */
export async function removeStaleTemps(file: string): Promise<void> {
  const dir = path.dirname(file);
  const name = path.basename(file);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const m = TEMP.exec(e);
    if (m && m[1] === name && !isPidAlive(Number(m[2]))) await rm(path.join(dir, e), { force: true });
  }
}

/** Writes through `write` into a fresh temp beside file, flushes it, then renames it over file. */
async function replaceThroughTemp(file: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  await removeStaleTemps(file);
  const tmp = tempFileFor(file);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await write(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The kill test's point: half of `bytes` written and flushed, the rest never. */
async function partialWriteKillPoint(handle: FileHandle, file: string, bytes: Uint8Array): Promise<void> {
  if (!killPointArmed('file-tmp-partial', file)) return;
  await writeAllBytes(handle, bytes.subarray(0, bytes.length >> 1));
  await handle.sync();
  killPoint('file-tmp-partial', file);
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await replaceThroughTemp(file, async (handle) => {
    await partialWriteKillPoint(handle, file, typeof data === 'string' ? Buffer.from(data) : data);
    await handle.writeFile(data);
  });
}

/** writeFileAtomic for content in parts (large arrays), written one after another, never joined. */
export async function writePartsAtomic(file: string, parts: readonly Uint8Array[]): Promise<void> {
  await replaceThroughTemp(file, async (handle) => {
    for (const part of parts) await writeAllBytes(handle, part);
  });
}

/** Text gathered before each write of writeTextAtomic: large enough to keep writes few. */
const CHUNK_CHARS = 1 << 20;

/**
 * writeFileAtomic for text made piece by piece (e.g. a CSV a line at a time): the pieces are
 * written as they come, a chunk at a time, so the whole text is never held in memory.
 */
export async function writeTextAtomic(file: string, pieces: Iterable<string>): Promise<void> {
  await replaceThroughTemp(file, async (handle) => {
    let first = true;
    const flush = async (text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      if (first) await partialWriteKillPoint(handle, file, bytes);
      first = false;
      await writeAllBytes(handle, bytes);
    };
    let chunk: string[] = [];
    let size = 0;
    for (const piece of pieces) {
      chunk.push(piece);
      size += piece.length;
      if (size >= CHUNK_CHARS) {
        await flush(chunk.join(''));
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length > 0 || first) await flush(chunk.join(''));
  });
}

/** Writes every byte (one write may take fewer). */
export async function writeAllBytes(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) off += (await handle.write(bytes, off)).bytesWritten;
}
