// The project's decision journal: an append-only JSON-lines file. History is never
// rewritten (an undo is an entry of its own), so the file is also the audit trail that
// training, export and the CLI read. The renderer may resend entries it is unsure were
// stored (it writes to IndexedDB first and syncs later), hence idempotency by entryId.
import { closeSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, JournalEntry } from '../../../shared/api.js';

export const JOURNAL_FILE = 'decisions.jsonl';

export interface AppendResult {
  /** Entries that were new. */
  appended: number;
  /** Entries in the journal after this call. */
  total: number;
}

export interface Journal {
  readonly file: string;
  /** Every stored entry in file order (a copy). */
  entries(): JournalEntry[];
  append(entries: readonly unknown[]): Promise<AppendResult>;
}

export interface JournalOptions {
  /** Where load-time warnings go (a torn last line); console.warn by default. */
  warn?: (message: string) => void;
}

interface Loaded {
  entries: JournalEntry[];
  /** Bytes up to the end of the last complete entry: a torn tail past it is cut before the next write. */
  goodBytes: number;
  /** The file's last byte is not a newline but the last line is a whole entry: the next write starts with one. */
  needsNewline: boolean;
}

export function openJournal(projectDir: string, options: JournalOptions = {}): Journal {
  const file = path.join(projectDir, JOURNAL_FILE);
  const warn = options.warn ?? ((m: string) => console.warn(m));
  let { entries, goodBytes, needsNewline } = load(file, warn);
  const byId = new Map<string, string>();
  for (const e of entries) byId.set(e.entryId, JSON.stringify(e));
  // One write at a time: two requests must never interleave their lines, and the
  // idempotency check must see what the previous append stored.
  let tail: Promise<unknown> = Promise.resolve();

  async function write(incoming: readonly unknown[]): Promise<AppendResult> {
    const fresh: JournalEntry[] = [];
    const freshIds = new Map<string, string>();
    incoming.forEach((raw, i) => {
      const parsed = JournalEntry.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? issue.path.join('.') : 'entry';
        throw new ApiError('bad_request', `journal entry ${i}: ${where}: ${issue?.message ?? 'invalid'}`);
      }
      const entry = parsed.data;
      const text = JSON.stringify(entry);
      const known = byId.get(entry.entryId) ?? freshIds.get(entry.entryId);
      if (known === undefined) {
        fresh.push(entry);
        freshIds.set(entry.entryId, text);
      } else if (known !== text) {
        // Same id, different content: a client bug. Dropping either silently would lose a decision.
        throw new ApiError(
          'conflict',
          `journal entry ${i}: entryId ${entry.entryId} is already in ${file} with different content`,
        );
      }
    });
    if (fresh.length === 0) return { appended: 0, total: entries.length };

    const body = fresh.map((e) => JSON.stringify(e) + '\n').join('');
    const buf = Buffer.from((needsNewline ? '\n' : '') + body, 'utf8');
    await mkdir(projectDir, { recursive: true });
    const created = !(await exists(file));
    const handle = await open(file, 'a');
    try {
      const size = (await handle.stat()).size;
      // A torn line left by an older crash is cut off, so the new entries start on a line of their own.
      if (size > goodBytes) {
        await handle.truncate(goodBytes);
        warn(`${file}: removed ${size - goodBytes} bytes of a torn last line before appending`);
      }
      // One write of the whole batch, then fsync: the entries are on disk before the caller
      // hears "stored", and a crash mid-write leaves at most a torn last line, which load() skips.
      await handle.appendFile(buf);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (created) syncDir(projectDir);
    goodBytes += buf.length;
    needsNewline = false;
    entries = entries.concat(fresh);
    for (const [id, text] of freshIds) byId.set(id, text);
    return { appended: fresh.length, total: entries.length };
  }

  return {
    file,
    entries: () => entries.slice(),
    append(incoming) {
      const run = tail.then(() => write(incoming));
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

function load(file: string, warn: (m: string) => void): Loaded {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], goodBytes: 0, needsNewline: false };
    throw err;
  }
  const entries: JournalEntry[] = [];
  let goodBytes = 0;
  let needsNewline = false;
  let start = 0;
  let lineNo = 0;
  while (start < buf.length) {
    lineNo++;
    const nl = buf.indexOf(0x0a, start);
    const complete = nl !== -1;
    const end = complete ? nl : buf.length;
    const text = buf.toString('utf8', start, end).trim();
    const next = complete ? nl + 1 : buf.length;
    if (text === '') {
      if (complete) goodBytes = next;
      start = next;
      continue;
    }
    const entry = parseLine(text);
    if (entry) {
      entries.push(entry);
      goodBytes = next;
      needsNewline = !complete;
    } else if (!complete) {
      // Only the unterminated last line can be a crash artifact; skip it and keep reading.
      warn(`${file}: line ${lineNo} is incomplete (a write interrupted by a crash?); ignored`);
    } else {
      throw new ApiError(
        'failed',
        `${file}: line ${lineNo} is not a valid journal entry; the journal was edited or damaged outside Unsure`,
      );
    }
    start = next;
  }
  return { entries, goodBytes, needsNewline };
}

function parseLine(text: string): JournalEntry | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const r = JournalEntry.safeParse(json);
  return r.success ? r.data : null;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Makes a newly created file's directory entry durable; not possible on Windows, where it is skipped. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Directory fsync is best effort (EISDIR/EPERM on some platforms).
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
