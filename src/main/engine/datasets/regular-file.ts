// Reads only regular files, and only up to a size limit: a link to /dev/zero, a FIFO, a
// socket or a device is refused by stat before it is opened, and the open itself is
// non-blocking, so nothing can hang or grow without end.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** A file refused before or while reading it; the message is the reason in plain words. */
export class FileRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRefusal';
  }
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((10 * n) / (1024 * 1024)) / 10} MB` : `${n} bytes`;
}

function problem(s: Stats, maxBytes: number): string | null {
  if (!s.isFile()) return `is ${kindOf(s)}, not a regular file`;
  if (s.size > maxBytes) return `is ${formatBytes(s.size)}, over the ${formatBytes(maxBytes)} file size limit`;
  return null;
}

function errnoReason(err: unknown, file: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? `file not found (${file})` : `cannot be read (${code ?? (err as Error).message})`;
}

/** A refusal as it is, any other error of a file operation as the refusal that names it. */
function asRefusal(err: unknown, file: string): FileRefusal {
  return err instanceof FileRefusal ? err : new FileRefusal(errnoReason(err, file));
}

/** The file's size when it may be read; throws FileRefusal otherwise. Nothing is opened. */
export async function checkRegularFile(file: string, maxBytes: number): Promise<number> {
  let s: Stats;
  try {
    s = await stat(file);
  } catch (err) {
    throw asRefusal(err, file);
  }
  return sizeIfReadable(s, maxBytes);
}

/** checkRegularFile without the thread pool (see readCheckedFileSync). */
export function checkRegularFileSync(file: string, maxBytes: number): number {
  let s: Stats;
  try {
    s = statSync(file);
  } catch (err) {
    throw asRefusal(err, file);
  }
  return sizeIfReadable(s, maxBytes);
}

function sizeIfReadable(s: Stats, maxBytes: number): number {
  const why = problem(s, maxBytes);
  if (why) throw new FileRefusal(why);
  return s.size;
}

// O_NONBLOCK: should the file be swapped for a FIFO between stat and open, open still returns.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The whole file (or its first `upTo` bytes: a header), if it is a regular file of at most
 * `maxBytes`; throws FileRefusal otherwise.
 */
export async function readRegularFile(file: string, maxBytes: number, upTo = Infinity): Promise<Buffer> {
  await checkRegularFile(file, maxBytes);
  return readCheckedFile(file, maxBytes, upTo);
}

/** readRegularFile of a file checkRegularFile has just passed (one stat fewer a file). */
export async function readCheckedFile(file: string, maxBytes: number, upTo = Infinity): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, READ_FLAGS);
  } catch (err) {
    throw asRefusal(err, file);
  }
  try {
    // Checked again on the open descriptor: what was stat'ed is what is read.
    const want = Math.min(sizeIfReadable(await handle.stat(), maxBytes), upTo);
    const out = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await handle.read(out, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === want ? out : out.subarray(0, got);
  } catch (err) {
    throw asRefusal(err, file);
  } finally {
    await handle.close();
  }
}

/**
 * readCheckedFile on the calling thread. For a batch of small files (a digit PNG is ~300
 * bytes) the thread pool's round trips cost more than the reads: 20,000 files in 1.4-1.7 s
 * through fs.promises, 0.2-0.3 s this way (docs/decoding.md). Only for code off the UI's
 * event loop (the engine worker, the CLI), a batch at a time.
 */
export function readCheckedFileSync(file: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch (err) {
    throw asRefusal(err, file);
  }
  try {
    // Checked again on the open descriptor, as readCheckedFile does.
    const want = sizeIfReadable(fstatSync(fd), maxBytes);
    const out = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const n = readSync(fd, out, got, want - got, got);
      if (n === 0) break;
      got += n;
    }
    return got === want ? out : out.subarray(0, got);
  } catch (err) {
    throw asRefusal(err, file);
  } finally {
    closeSync(fd);
  }
}
