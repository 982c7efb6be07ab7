// An extractor's rows per sample, kept in the project folder so that a second open (and every
// retrain) never runs the backbone again: one file per extractor id, rows keyed by sample id
// (content hash), so renamed or re-ordered files still hit and new files are all that is run.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { writePartsAtomic } from '../project/atomic-write.js';
import { headerParts, readFully, readHeader } from '../project/header-file.js';

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

/**
 * The cached rows of this extractor, or null when there are none or they are unreadable. The
 * floats are read straight into their own aligned buffer: at 100,000 photos the file is 680 MB,
 * and reading it whole first would hold it twice.
 */
export async function loadRowCache(projectDir: string, extractorId: string): Promise<CachedRows | null> {
  let fh: FileHandle;
  try {
    fh = await open(rowCacheFile(projectDir, extractorId), 'r');
  } catch {
    return null;
  }
  try {
    const { header, bodyOffset, size } = await readHeader(fh);
    const h = header as Header;
    if (h.magic !== MAGIC || h.extractor !== extractorId) return null;
    const n = h.ids.length;
    const bodyBytes = size - bodyOffset;
    if (bodyBytes !== n * (h.dim + h.logitsDim) * 4) return null;
    const all = new Float32Array(bodyBytes / 4);
    await readFully(fh, new Uint8Array(all.buffer), bodyOffset);
    return {
      dim: h.dim,
      logitsDim: h.logitsDim,
      ids: h.ids,
      features: all.subarray(0, n * h.dim),
      logits: all.subarray(n * h.dim),
    };
  } catch {
    return null;
  } finally {
    await fh.close();
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
  const file = rowCacheFile(projectDir, extractorId);
  await mkdir(path.dirname(file), { recursive: true });
  const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  await writePartsAtomic(file, [...headerParts(header), bytes(rows.features), bytes(rows.logits)]);
}
