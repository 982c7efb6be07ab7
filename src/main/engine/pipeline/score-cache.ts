// What a scoring costs to recompute, kept in the project folder: the logits, embeddings,
// first-layer channel statistics, MC-dropout disagreement and neighbours of every sample for
// one model. With them a
// second launch recomputes only the score columns (milliseconds) instead of embedding and
// searching again (seconds). One file per model version, written under a temporary name
// and renamed into place; the header names the model and the exact samples (their ids in
// order) it belongs to, and anything that does not match is ignored.
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { writeAllBytes } from '../project/atomic-write.js';
import { pruneOld } from '../project/prune-old.js';

// v2 added the channel statistics, v3 the MC-dropout disagreement column; an older file
// lacks them, fails the magic check and is recomputed over (never read with the new layout).
const MAGIC = 'unsure-score-cache-v3';
/** Older models' caches are deleted beyond this many (each is ~55 MB for the demo). */
const KEEP = 2;

export interface CachedNeighbourhood {
  logits: Float32Array;
  embeddings: Float32Array;
  dim: number;
  /** n * lowLevelDim (model/channel-stats.ts); null with lowLevelDim 0 when the model gives none. */
  lowLevel: Float32Array | null;
  lowLevelDim: number;
  /** n MC-dropout disagreement scores (scores/mc-disagreement.ts); null when the model has no dropout to sample. */
  mcDisagreement: Float32Array | null;
  neighbours: Int32Array;
  neighbourSims: Float32Array;
  k: number;
}

interface Header {
  magic: typeof MAGIC;
  modelVersion: string;
  samplesHash: string;
  n: number;
  numClasses: number;
  dim: number;
  lowLevelDim: number;
  /** Whether the mcDisagreement column is stored (n values) or not (0 values). */
  hasMc: boolean;
  k: number;
}

export function samplesHashOf(ids: readonly string[]): string {
  const h = createHash('sha256');
  for (const id of ids) h.update(`${id}\n`);
  return h.digest('hex').slice(0, 16);
}

function fileFor(projectDir: string, modelVersion: string): string {
  if (!/^[\w.-]+$/.test(modelVersion))
    throw new Error(`model version ${JSON.stringify(modelVersion)} is not a file name`);
  return path.join(projectDir, 'scores', `${modelVersion}.bin`);
}

export async function saveScoreCache(
  projectDir: string,
  modelVersion: string,
  ids: readonly string[],
  nb: CachedNeighbourhood,
): Promise<void> {
  const n = ids.length;
  const header: Header = {
    magic: MAGIC,
    modelVersion,
    samplesHash: samplesHashOf(ids),
    n,
    numClasses: nb.logits.length / n,
    dim: nb.dim,
    lowLevelDim: nb.lowLevelDim,
    hasMc: nb.mcDisagreement !== null,
    k: nb.k,
  };
  if ((nb.lowLevel?.length ?? 0) !== n * nb.lowLevelDim)
    throw new Error(
      `saveScoreCache: ${nb.lowLevel?.length ?? 0} low-level values for ${n} samples x ${nb.lowLevelDim}`,
    );
  if (nb.mcDisagreement && nb.mcDisagreement.length !== n)
    throw new Error(`saveScoreCache: ${nb.mcDisagreement.length} MC-dropout scores for ${n} samples`);
  const json = Buffer.from(JSON.stringify(header));
  // Header length, header padded to 4 bytes, then the six arrays (all 4-byte elements).
  const pad = (4 - ((4 + json.length) % 4)) % 4;
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length + pad);
  const parts = [
    len,
    json,
    Buffer.alloc(pad, 0x20),
    ...[
      nb.logits,
      nb.embeddings,
      nb.lowLevel ?? new Float32Array(0),
      nb.mcDisagreement ?? new Float32Array(0),
      nb.neighbours,
      nb.neighbourSims,
    ].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
  ];
  const file = fileFor(projectDir, modelVersion);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    // Part by part, not concatenated first: the arrays are about 1 KB a sample, and one
    // buffer of all of them would double that at the end of a scoring.
    const handle = await open(tmp, 'w');
    try {
      for (const part of parts) await writeAllBytes(handle, part);
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await pruneOld(path.dirname(file), path.basename(file), '.bin', KEEP);
}

/** The cached neighbourhood of these samples under this model, or null (absent or not theirs). */
export async function loadScoreCache(
  projectDir: string,
  modelVersion: string,
  ids: readonly string[],
): Promise<CachedNeighbourhood | null> {
  let handle: FileHandle;
  try {
    handle = await open(fileFor(projectDir, modelVersion), 'r');
  } catch {
    return null;
  }
  let payload: ArrayBuffer;
  let h: Header;
  let size: Record<'logits' | 'embeddings' | 'lowLevel' | 'mc' | 'neighbours' | 'sims', number>;
  try {
    // The header, then the payload read straight into one aligned buffer the arrays view:
    // reading the whole file first and copying the payload out held it twice.
    const total = (await handle.stat()).size;
    const len = Buffer.alloc(4);
    if ((await handle.read(len, 0, 4, 0)).bytesRead !== 4) return null;
    const hlen = len.readUInt32LE(0);
    if (4 + hlen > total) return null;
    const head = Buffer.alloc(hlen);
    if ((await handle.read(head, 0, hlen, 4)).bytesRead !== hlen) return null;
    h = JSON.parse(head.toString('utf8')) as Header;
    const n = ids.length;
    if (h.magic !== MAGIC || h.modelVersion !== modelVersion || h.n !== n || h.samplesHash !== samplesHashOf(ids))
      return null;
    if (!(Number.isInteger(h.lowLevelDim) && h.lowLevelDim >= 0) || typeof h.hasMc !== 'boolean') return null;
    size = {
      logits: n * h.numClasses,
      embeddings: n * h.dim,
      lowLevel: n * h.lowLevelDim,
      mc: h.hasMc ? n : 0,
      neighbours: n * h.k,
      sims: n * h.k,
    };
    const bytes = 4 * Object.values(size).reduce((a, b) => a + b, 0);
    if (4 + hlen + bytes !== total) return null;
    payload = new ArrayBuffer(bytes);
    const view = new Uint8Array(payload);
    for (let off = 0; off < bytes;) {
      const { bytesRead } = await handle.read(view, off, bytes - off, 4 + hlen + off);
      if (bytesRead === 0) return null;
      off += bytesRead;
    }
  } catch {
    // A damaged cache costs one recomputation, never an error.
    return null;
  } finally {
    await handle.close();
  }
  try {
    let off = 0;
    const take = <T>(make: (b: ArrayBuffer, o: number, l: number) => T, size: number): T => {
      const v = make(payload, off, size);
      off += 4 * size;
      return v;
    };
    return {
      logits: take((b, o, l) => new Float32Array(b, o, l), size.logits),
      embeddings: take((b, o, l) => new Float32Array(b, o, l), size.embeddings),
      dim: h.dim,
      lowLevel: h.lowLevelDim > 0 ? take((b, o, l) => new Float32Array(b, o, l), size.lowLevel) : null,
      lowLevelDim: h.lowLevelDim,
      mcDisagreement: h.hasMc ? take((b, o, l) => new Float32Array(b, o, l), size.mc) : null,
      neighbours: take((b, o, l) => new Int32Array(b, o, l), size.neighbours),
      neighbourSims: take((b, o, l) => new Float32Array(b, o, l), size.sims),
      k: h.k,
    };
  } catch {
    // A damaged cache costs one recomputation, never an error.
    return null;
  }
}
