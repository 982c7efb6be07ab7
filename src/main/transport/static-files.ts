// Sending a file from disk without ever letting the file end the process: a folder, a FIFO,
// a device or a file that vanishes between the check and the read must each become an error
// answer (or a cut response once bytes are out), never an uncaught stream error.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { ApiError } from '../../shared/api.js';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Streams `file` (a regular file only) with these headers. Throws ApiError('not_found')
 * before anything is sent when it is missing or not a regular file; a read error after the
 * headers went out cuts the response (the client sees a short body, the server carries on).
 */
export async function sendFile(res: http.ServerResponse, file: string, headers: http.OutgoingHttpHeaders) {
  let handle: fs.promises.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer. It changes nothing for a
    // regular file, and anything else is refused by the fstat below.
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    throw new ApiError('not_found', `${path.basename(file)} not found`);
  }
  let stat: fs.Stats;
  try {
    // fstat of what was opened, not stat of the name: the name may be swapped in between.
    stat = await handle.stat();
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
  if (!stat.isFile()) {
    await handle.close().catch(() => undefined);
    throw new ApiError('not_found', `${path.basename(file)} is not a file`);
  }
  res.writeHead(200, { ...headers, 'Content-Length': stat.size });
  const stream = fs.createReadStream('', { fd: handle, autoClose: true });
  await new Promise<void>((resolve) => {
    stream.on('error', (err) => {
      console.error(`unsure: reading ${file} failed while sending it: ${err.message}`);
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}
