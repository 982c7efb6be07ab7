// The project's decision journal: an append-only JSON-lines file. History is never
// rewritten (an undo is an entry of its own), so the file is also the audit trail that
// training, export and `unsure export` read. The renderer may resend entries it is unsure were
// stored (it writes to IndexedDB first and syncs later), hence idempotency by entryId.
//
// Bytes already in the file are never changed or removed, not even a torn line: another
// process (the desktop app and `serve` on the same project) may have appended after what
// this one has read, and cutting "garbage" at a remembered offset could delete its entries.
// A torn fragment is instead closed off with a newline and skipped when read.
import { closeSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
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
  /** Validates, skips entries already stored (same entryId), appends the rest in one durable write. */
  append(entries: readonly unknown[]): Promise<AppendResult>;
}

export interface JournalOptions {
  /** Where warnings go (torn or damaged lines); console.warn by default. */
  warn?: (message: string) => void;
}

/** What has been read of the file so far. */
interface ReadState {
  entries: JournalEntry[];
  /** entryId -> the entry's JSON, for idempotency and conflict checks. */
  byId: Map<string, string>;
  /** Bytes of the file read so far: up to the end of the last complete line. */
  offset: number;
  /** Complete lines read so far (for warnings). */
  lines: number;
  /** Whether the file (as far as read) ends with a newline, or is empty. */
  endsWithNewline: boolean;
  /** File offsets of lines already warned about, so each is reported once. */
  warned: Set<number>;
}

export function openJournal(projectDir: string, options: JournalOptions = {}): Journal {
  const file = path.join(projectDir, JOURNAL_FILE);
  const warn = options.warn ?? ((m: string) => console.warn(m));
  const state: ReadState = {
    entries: [],
    byId: new Map(),
    offset: 0,
    lines: 0,
    endsWithNewline: true,
    warned: new Set(),
  };
  let initial: Buffer | null = null;
  try {
    initial = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (initial) absorb(state, initial, file, warn);

  // One write at a time in this process: two requests must never interleave their lines,
  // and the idempotency check must see what the previous append stored.
  let tail: Promise<unknown> = Promise.resolve();

  async function write(incoming: readonly unknown[]): Promise<AppendResult> {
    const parsed = incoming.map((raw, i) => {
      const r = JournalEntry.safeParse(raw);
      if (!r.success) {
        const issue = r.error.issues[0];
        const where = issue?.path.length ? issue.path.join('.') : 'entry';
        throw new ApiError('bad_request', `journal entry ${i}: ${where}: ${issue?.message ?? 'invalid'}`);
      }
      return r.data;
    });

    await mkdir(projectDir, { recursive: true });
    let created = false;
    const handle = await open(file, 'a+');
    try {
      // Catch up with whatever another process appended since we last read.
      const size = (await handle.stat()).size;
      created = size === 0;
      if (size > state.offset) {
        const more = Buffer.alloc(size - state.offset);
        await handle.read(more, 0, more.length, state.offset);
        absorb(state, more, file, warn);
      }

      const fresh: JournalEntry[] = [];
      const freshIds = new Map<string, string>();
      parsed.forEach((entry, i) => {
        const text = JSON.stringify(entry);
        const known = state.byId.get(entry.entryId) ?? freshIds.get(entry.entryId);
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
      if (fresh.length === 0) return { appended: 0, total: state.entries.length };

      const body = [...freshIds.values()].map((t) => t + '\n').join('');
      // A torn fragment left by a crash gets its own line, so our first entry stays whole.
      const buf = Buffer.from((state.endsWithNewline ? '' : '\n') + body, 'utf8');
      // One write of the whole batch, then fsync: the entries are on disk before the caller
      // hears "stored", and a crash mid-write leaves at most a torn last line, which is skipped.
      await handle.appendFile(buf);
      await handle.sync();
      // Our lines are read back on the next append like anyone else's (their ids are then
      // known, so nothing is counted twice): the offset must not jump over another
      // process's write that may have landed between the stat and ours.
      state.entries.push(...fresh);
      for (const [id, text] of freshIds) state.byId.set(id, text);
      return { appended: fresh.length, total: state.entries.length };
    } finally {
      await handle.close();
      if (created) syncDir(projectDir);
    }
  }

  return {
    file,
    entries: () => state.entries.slice(),
    append(incoming) {
      const run = tail.then(() => write(incoming));
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

/**
 * Reads buf (the file's bytes from state.offset) into state. Only complete lines move the
 * offset on: an unterminated last line is looked at (a whole entry missing only its newline
 * counts) but read again next time, when it may have been completed by its writer.
 */
function absorb(state: ReadState, buf: Buffer, file: string, warn: (m: string) => void): void {
  let start = 0;
  for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
    state.lines++;
    take(state, buf.toString('utf8', start, nl), state.offset + start, file, warn, true);
    start = nl + 1;
  }
  const tail = buf.toString('utf8', start);
  if (tail.trim() !== '') take(state, tail, state.offset + start, file, warn, false);
  state.endsWithNewline = start === buf.length;
  state.offset += start;
}

function take(
  state: ReadState,
  line: string,
  at: number,
  file: string,
  warn: (m: string) => void,
  complete: boolean,
): void {
  const text = line.trim();
  if (text === '') return;
  const lineNo = complete ? state.lines : state.lines + 1;
  const entry = parseLine(text);
  if (!entry) {
    if (state.warned.has(at)) return;
    state.warned.add(at);
    warn(
      complete
        ? `${file}: line ${lineNo} is not a valid journal entry (a write torn by a crash, or an edit); ignored`
        : `${file}: line ${lineNo} is incomplete (a write interrupted by a crash?); ignored`,
    );
    return;
  }
  const json = JSON.stringify(entry);
  const known = state.byId.get(entry.entryId);
  if (known === undefined) {
    state.entries.push(entry);
    state.byId.set(entry.entryId, json);
  } else if (known !== json && !state.warned.has(at)) {
    state.warned.add(at);
    warn(`${file}: line ${lineNo} repeats entryId ${entry.entryId} with different content; the first one is kept`);
  }
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
