// Runs one corpus case through the CLI (in this process, or in a child whose memory is
// watched) and lists every way the outcome differs from what the case expects.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScore } from '../../src/main/commands/score.js';
import { runTrain } from '../../src/main/commands/train.js';
import type { CorpusCase } from './corpus-types.js';
import { diffSnapshots, isUnder, snapshot, type Snapshot } from './snapshot.js';

const repo = resolve(fileURLToPath(import.meta.url), '..', '..', '..');

export interface RunResult {
  code: number | null;
  stderr: string;
  maxRssBytes?: number;
  /** Why the run was stopped from outside (hang, memory), if it was. */
  killed?: string;
}

/**
 * `unsure score|train ...` in this process, stderr captured: TensorFlow loads once for the
 * corpus. A run that never settles is reported as hung (cases that may hang are spawned).
 */
export async function runInProcess(argv: string[], timeoutMs = 120_000): Promise<RunResult> {
  const [command, ...rest] = argv;
  const run = command === 'score' ? runScore : command === 'train' ? runTrain : null;
  if (!run) throw new Error(`corpus: unknown command ${command}`);
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((done) => {
    timer = setTimeout(() => done('hung'), timeoutMs);
  });
  try {
    const code = await Promise.race([run(rest), hung]);
    if (code === 'hung') return { code: null, stderr, killed: `did not finish in ${timeoutMs / 1000} s (hung?)` };
    return { code, stderr };
  } catch (err) {
    // The real CLI prints an escaped error as one line and exits 1 (src/main/cli.ts).
    return { code: 1, stderr: `${stderr}unsure: ${(err as Error).message}\n[escaped runScore/runTrain]` };
  } finally {
    clearTimeout(timer);
    process.stderr.write = write;
  }
}

/** The CLI in a child process; killed past `timeoutMs` or `killRssBytes` resident, so a hang or a bomb cannot take the machine. */
export function runSpawned(
  argv: string[],
  env: NodeJS.ProcessEnv,
  { timeoutMs = 40_000, killRssBytes = 2.5 * 1024 ** 3 } = {},
): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'test/bad-input/run-cli.ts'), ...argv], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed: string | undefined;
    let peakWatched = 0;
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const watch = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakWatched = Math.max(peakWatched, kb * 1024);
        if (kb * 1024 > killRssBytes && !killed) {
          killed = `killed by the corpus at ${(kb / 1024 ** 2).toFixed(2)} GB resident`;
          child.kill('SIGKILL');
        }
      } catch {
        // gone already
      }
    }, 50);
    const timer = setTimeout(() => {
      killed = `killed by the corpus after ${timeoutMs / 1000} s (hung?)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearInterval(watch);
      clearTimeout(timer);
      const kb = /UNSURE_MAX_RSS_KB=(\d+)/.exec(stdout)?.[1];
      done({ code, stderr, maxRssBytes: kb ? Number(kb) * 1024 : peakWatched, killed });
    });
  });
}

export interface Before {
  tree: Snapshot;
  projects: string[];
}

export function projectsIn(home: string): string[] {
  const dir = join(home, 'projects');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export function takeBefore(c: CorpusCase, home: string): Before {
  return { tree: snapshot(c.dir), projects: projectsIn(home) };
}

const TEMP_NAME = /\.tmp-|unsure-tmp|\.old-|\.partial/;
const REPORT_NAME = /skip/i;

/** Every way `got` differs from what `c` expects; empty when the case passes. */
export function judge(c: CorpusCase, got: RunResult, before: Before, home: string): string[] {
  const e = c.expect;
  const bad: string[] = [];
  const ok0 = got.code === 0;
  if (got.killed) bad.push(got.killed);
  const codeOk =
    e.code === 'refused'
      ? got.code === 1 || got.code === 2
      : e.code === 'skip-or-refuse'
        ? got.code === 0 || got.code === 1 || got.code === 2
        : got.code === e.code;
  if (!codeOk) bad.push(`exit code: expected ${e.code === 'refused' ? '1 or 2' : e.code}, got ${got.code}`);
  // The corpus's own folder names (the case's name is one) must not satisfy a pattern.
  const root = dirname(dirname(c.dir));
  const text = got.stderr.split(c.dir).join('<case>').split(root).join('<corpus>');
  for (const name of e.named) {
    if (!(isAbsolute(name) ? got.stderr : text).includes(name)) bad.push(`stderr does not name ${short(name)}`);
  }
  for (const re of e.problem) if (!re.test(text)) bad.push(`stderr does not match ${re}`);
  for (const re of e.stderrNot ?? []) if (re.test(text)) bad.push(`stderr matches ${re} (it must not)`);

  const diff = diffSnapshots(before.tree, snapshot(c.dir));
  const outputs = ok0 ? (e.outputs ?? []) : [];
  const mayChange = (rel: string) => outputs.some((o) => isUnder(rel, o));
  const isReport = (rel: string) =>
    ok0 &&
    REPORT_NAME.test(posix.basename(rel)) &&
    outputs.some((o) => isUnder(rel, o) || posix.dirname(rel) === posix.dirname(o));
  for (const rel of diff.changed) if (!mayChange(rel)) bad.push(`changed: ${rel}`);
  const removedTops = diff.removed.filter((rel) => !diff.removed.some((a) => a !== rel && isUnder(rel, a)));
  for (const rel of removedTops) {
    const inside = diff.removed.filter((r) => r !== rel && isUnder(r, rel)).length;
    if (!mayChange(rel)) bad.push(`removed: ${rel}${inside ? ` (and ${inside} paths inside)` : ''}`);
  }
  for (const rel of diff.added) if (TEMP_NAME.test(posix.basename(rel))) bad.push(`left behind: ${rel}`);
  // A new folder is listed once, not with every file in it.
  const tops = diff.added.filter((rel) => !diff.added.some((a) => a !== rel && isUnder(rel, a)));
  for (const rel of tops) {
    if (!mayChange(rel) && !isReport(rel) && !TEMP_NAME.test(posix.basename(rel)))
      bad.push(`new file where none may be: ${rel}`);
  }
  if (ok0) {
    for (const rel of e.mustExist ?? []) if (!existsSync(join(c.dir, rel))) bad.push(`missing output: ${rel}`);
    if (e.report) {
      const reports = diff.added.filter(isReport);
      if (reports.length === 0) bad.push('no report file of skipped files (a new *skip* file beside the output)');
      else {
        const text = reports.map((r) => readFileSync(join(c.dir, r), 'utf8')).join('\n');
        for (const name of e.reportNames ?? e.named) if (!text.includes(name)) bad.push(`report does not list ${name}`);
      }
    }
  } else {
    const now = projectsIn(home);
    const fresh = now.filter((p) => !before.projects.includes(p));
    if (fresh.length > 0) bad.push(`project folder left for a refused request: ${fresh.join(', ')}`);
  }
  if (e.maxRssBytes !== undefined) {
    if (got.maxRssBytes === undefined) bad.push('peak memory not measured');
    else if (got.maxRssBytes >= e.maxRssBytes)
      bad.push(`peak resident ${gb(got.maxRssBytes)}, limit ${gb(e.maxRssBytes)}`);
  }
  return bad;
}

const gb = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`;
const short = (s: string) => (s.length > 120 ? `${s.slice(0, 60)}...${s.slice(-40)} (${s.length} chars)` : s);

/** The failure table for one case: what was expected, what came, and the end of stderr. */
export function describeFailure(c: CorpusCase, got: RunResult, problems: string[]): string {
  const e = c.expect;
  const tail = got.stderr.length > 1500 ? `...${got.stderr.slice(-1500)}` : got.stderr;
  return [
    `case      ${c.name} (issue 8 item ${c.issue})`,
    `argv      unsure ${c.argv.map((a) => short(a.replace(c.dir, '<case>'))).join(' ')}`,
    `expected  exit ${e.code}; names ${e.named.map((n) => short(basename(n))).join(', ') || '-'}; problem ${e.problem.join(' ') || '-'}${e.report ? '; report file' : ''}`,
    `got       exit ${got.code}${got.maxRssBytes ? `; peak ${gb(got.maxRssBytes)}` : ''}`,
    ...problems.map((p) => `  x ${p}`),
    'stderr:',
    ...tail.split('\n').map((l) => `  | ${l}`),
  ].join('\n');
}
