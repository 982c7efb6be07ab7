// An extractor's rows per sample, kept in the project folder so that a second open (and every
// retrain) never runs the backbone again: one file per extractor id, rows keyed by sample id
// (content hash), so renamed or re-ordered files still hit and new files are all that is run.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writePartsAtomic } from '../project/atomic-write.js';

const MAGIC = 'unsure-rows-1';

export interface CachedRows {
  dim: number;
  /** Logits per row (0 for a backbone). */
  logitsDim: number;
  ids: string[];
  features: Float32Array;
  logits: Float32Array;
}

interface Header {
  magic: string;
  extractor: string;
  dim: number;
  logitsDim: number;
  ids: string[];
}

export function rowCacheFile(projectDir: string, extractorId: string): string {
  const safe = extractorId.replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(projectDir, 'features', `${safe}.rows`);
}

/** The cached rows of this extractor, or null when there are none or they are unreadable. */
export async function loadRowCache(projectDir: string, extractorId: string): Promise<CachedRows | null> {
  let buf: Buffer;
  try {
    buf = await readFile(rowCacheFile(projectDir, extractorId));
  } catch {
    return null;
  }
  try {
    const len = buf.readUInt32LE(0);
    const h = JSON.parse(buf.subarray(4, 4 + len).toString('utf8')) as Header;
    if (h.magic !== MAGIC || h.extractor !== extractorId) return null;
    const n = h.ids.length;
    const body = buf.subarray(4 + len);
    if (body.length !== n * (h.dim + h.logitsDim) * 4) return null;
    // A copy into an aligned buffer: Buffer's own offset need not be a multiple of 4.
    const all = new Float32Array(body.length / 4);
    new Uint8Array(all.buffer).set(body);
    return {
      dim: h.dim,
      logitsDim: h.logitsDim,
      ids: h.ids,
      features: all.subarray(0, n * h.dim),
      logits: all.subarray(n * h.dim),
    };
  } catch {
    return null;
  }
}

export async function saveRowCache(projectDir: string, extractorId: string, rows: CachedRows): Promise<void> {
  const n = rows.ids.length;
  if (rows.features.length !== n * rows.dim || rows.logits.length !== n * rows.logitsDim)
    throw new Error(`saveRowCache: arrays do not fit ${n} rows of ${rows.dim} + ${rows.logitsDim}`);
  const header: Header = {
    magic: MAGIC,
    extractor: extractorId,
    dim: rows.dim,
    logitsDim: rows.logitsDim,
    ids: rows.ids,
  };
  let json = Buffer.from(JSON.stringify(header));
  // Padded so the float arrays start on a 4-byte boundary.
  const pad = (4 - (json.length % 4)) % 4;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const file = rowCacheFile(projectDir, extractorId);
  await mkdir(path.dirname(file), { recursive: true });
  const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  await writePartsAtomic(file, [len, json, bytes(rows.features), bytes(rows.logits)]);
}
