// One file fetched over http(s) into a folder, hashed as it streams: a failed status, a
// connection cut mid-file or fewer bytes than the server announced is an error that says so.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export interface DownloadProgress {
  /** The file's name in the cache entry. */
  file: string;
  bytes: number;
  /** From Content-Length; undefined when the server sent none. */
  total?: number;
}

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** Fetches `url` into `dest`; returns its sha256 (hex) and size. */
export async function downloadFile(
  url: string,
  dest: string,
  name: string,
  fetchImpl: typeof fetch,
  onProgress?: (p: DownloadProgress) => void,
): Promise<{ sha256: string; bytes: number }> {
  let res: Response;
  try {
    res = await fetchImpl(url, { redirect: 'follow' });
  } catch (err) {
    throw new DownloadError(`cannot fetch ${url}: ${causeOf(err)}`);
  }
  if (!res.ok) throw new DownloadError(`${url}: HTTP ${res.status} ${res.statusText}`.trim());
  if (!res.body) throw new DownloadError(`${url}: the response has no body`);
  const announced = res.headers.get('content-length');
  const total = announced !== null && /^\d+$/.test(announced) ? Number(announced) : undefined;
  const hash = createHash('sha256');
  const handle = await open(dest, 'wx');
  let bytes = 0;
  try {
    const reader = res.body.getReader();
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw new DownloadError(
          `download of ${url} was interrupted after ${bytes}${total !== undefined ? ` of ${total}` : ''} bytes (${causeOf(err)})`,
        );
      }
      if (chunk.done) break;
      hash.update(chunk.value);
      await handle.write(chunk.value);
      bytes += chunk.value.length;
      onProgress?.({ file: name, bytes, total });
    }
  } finally {
    await handle.close();
  }
  if (total !== undefined && bytes !== total)
    throw new DownloadError(`download of ${url} was interrupted after ${bytes} of ${total} bytes`);
  return { sha256: hash.digest('hex'), bytes };
}

function causeOf(err: unknown): string {
  const e = err as Error & { cause?: Error };
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message;
}
