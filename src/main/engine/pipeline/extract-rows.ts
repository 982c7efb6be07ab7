// The extractor's stage of an open: every sample's rows (features, and logits for a user's
// classifier) from the row cache where it has them, else by decoding the image with the
// extractor's recipe and running it, a batch at a time. The next batch is decoded while the
// network runs on this one, so decoding (libvips threads) and the network (TensorFlow's) overlap.
import type { Extractor } from '../model/extractor.js';
import { loadRowCache, saveRowCache } from './row-cache.js';

export interface ExtractedRows {
  dim: number;
  /** n * dim feature rows (n * logitsDim logits stand in when the extractor gives no features). */
  features: Float32Array;
  logitsDim: number;
  /** n * logitsDim logits, or null for a backbone. */
  logits: Float32Array | null;
  /** Rows found in the cache. */
  cached: number;
}

export interface ExtractOptions {
  /** The project folder the row cache lives in; null for none. */
  projectDir: string | null;
  /** Images of rows `rows` (indices into ids) decoded with the extractor's recipe: rows.length images, NHWC bytes. */
  decode: (rows: readonly number[]) => Promise<Uint8Array>;
  batchSize?: number;
  onProgress?: (done: number, total: number, etaSec: number | undefined) => void;
  signal?: AbortSignal;
}

export const EXTRACT_BATCH = 64;

export async function extractRows(
  ids: readonly string[],
  extractor: Extractor,
  opts: ExtractOptions,
): Promise<ExtractedRows> {
  const n = ids.length;
  const cache = opts.projectDir ? await loadRowCache(opts.projectDir, extractor.id) : null;
  const logitsDim = extractor.classes?.length ?? 0;
  const dim = extractor.featureDim > 0 ? extractor.featureDim : logitsDim;
  if (dim <= 0) throw new Error(`extractor ${extractor.id} gives neither features nor logits`);
  const features = new Float32Array(n * dim);
  const logits = logitsDim > 0 ? new Float32Array(n * logitsDim) : null;
  const todo: number[] = [];
  let cached = 0;
  const at = new Map<string, number>();
  if (cache && cache.dim === dim && cache.logitsDim === logitsDim) cache.ids.forEach((id, r) => at.set(id, r));
  ids.forEach((id, i) => {
    const r = at.get(id);
    if (r === undefined || !cache) return void todo.push(i);
    features.set(cache.features.subarray(r * dim, (r + 1) * dim), i * dim);
    if (logits) logits.set(cache.logits.subarray(r * logitsDim, (r + 1) * logitsDim), i * logitsDim);
    cached++;
  });

  const batch = Math.max(1, opts.batchSize ?? EXTRACT_BATCH);
  const started = Date.now();
  opts.onProgress?.(cached, n, undefined);
  const batches: number[][] = [];
  for (let s = 0; s < todo.length; s += batch) batches.push(todo.slice(s, s + batch));
  // A decode that fails while the network runs is marked handled at once; awaiting it rethrows.
  const decode = (rows: readonly number[]) => {
    const p = opts.decode(rows);
    p.catch(() => {});
    return p;
  };
  let next = batches.length > 0 ? decode(batches[0]!) : null;
  let done = 0;
  for (let b = 0; b < batches.length; b++) {
    if (opts.signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
    const rows = batches[b]!;
    const pixels = await next!;
    next = b + 1 < batches.length ? decode(batches[b + 1]!) : null;
    const out = await extractor.run(pixels, rows.length);
    const f = extractor.featureDim > 0 ? out.features : out.logits;
    if (!f || f.length !== rows.length * dim)
      throw new Error(`extractor ${extractor.id} gave ${f?.length ?? 0} values for ${rows.length} rows of ${dim}`);
    if (logits && (!out.logits || out.logits.length !== rows.length * logitsDim))
      throw new Error(`extractor ${extractor.id} gave no logits for ${rows.length} rows`);
    rows.forEach((i, r) => {
      features.set(f.subarray(r * dim, (r + 1) * dim), i * dim);
      if (logits && out.logits) logits.set(out.logits.subarray(r * logitsDim, (r + 1) * logitsDim), i * logitsDim);
    });
    done += rows.length;
    const perRow = (Date.now() - started) / 1000 / done;
    opts.onProgress?.(cached + done, n, perRow * (todo.length - done));
  }
  if (opts.projectDir && todo.length > 0) {
    try {
      await saveRowCache(opts.projectDir, extractor.id, {
        dim,
        logitsDim,
        ids: [...ids],
        features,
        logits: logits ?? new Float32Array(0),
      });
    } catch (err) {
      console.warn(`unsure engine: could not cache the extracted rows: ${(err as Error).message}`);
    }
  }
  return { dim, features, logitsDim, logits, cached };
}
