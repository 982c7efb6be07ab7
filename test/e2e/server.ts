// Starts browser mode (`unsure serve`) as a real child process with a real engine, for the
// end-to-end tests.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Queue, Samples } from '../../src/shared/api.js';
import { joinQueue, type QueueView } from '../../src/renderer/src/queue/view.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StartedServer {
  /** The URL with the per-launch token (what a user opens). */
  url: string;
  origin: string;
  token: string;
  /** Everything the server printed so far (stdout + stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash or `kill -9` would: no shutdown code runs. */
  kill?(): Promise<void>;
  /** Whether the process has exited (by itself or killed). */
  exited?(): boolean;
}

export async function startServer(opts: {
  train?: string;
  pool?: string;
  home: string;
  port?: number;
  seed?: number;
}): Promise<StartedServer> {
  const args = [path.join(root, 'bin', 'unsure.mjs'), 'serve', '--port', String(opts.port ?? 0)];
  if (opts.train) args.push('--train', opts.train);
  if (opts.pool) args.push('--pool', opts.pool);
  if (opts.seed !== undefined) args.push('--seed', String(opts.seed));
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, UNSURE_HOME: opts.home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not print its URL in 120 s:\n${out}`)), 120_000);
    const check = () => {
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before printing its URL:\n${out}`));
    });
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get('token')!,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    exited: () => child.exitCode !== null || child.signalCode !== null,
  };
}

/** Calls the API as a non-browser client would (bearer token). */
export async function callApi<T>(server: StartedServer, name: string, params: unknown = {}): Promise<T> {
  const res = await fetch(`${server.origin}/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify(params),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
  return body.result as T;
}

const samplesOf = new WeakMap<StartedServer, Samples>();

/**
 * The current queue as the renderer sees it (src/renderer/src/queue/view.ts): the compact
 * ranking joined with the opening's samples, which are fetched once per openId.
 */
export async function queueView(server: StartedServer): Promise<QueueView | null> {
  for (let tries = 0; ; tries++) {
    const q = await callApi<Queue | null>(server, 'getQueue');
    if (!q) return null;
    let s = samplesOf.get(server);
    if (s?.openId !== q.openId) {
      s = (await callApi<Samples | null>(server, 'getSamples')) ?? undefined;
      if (s) samplesOf.set(server, s);
    }
    if (s?.openId === q.openId) return joinQueue(s, q);
    // A new opening landed between the two calls: ask again.
    if (tries >= 5) throw new Error(`getSamples never matched the queue's opening ${q.openId}`);
  }
}

/** Polls getProject until the status is 'ready' (or fails on 'error'). */
export async function waitReady(server: StartedServer, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const p = await callApi<{ status: string; statusMessage: string | null }>(server, 'getProject');
    if (p.status === 'ready') return;
    if (p.status === 'error') throw new Error(`project failed: ${p.statusMessage}\n${server.output()}`);
    if (Date.now() > until)
      throw new Error(`project not ready after ${timeoutMs} ms (status ${p.status})\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Waits until the ranking is final: after the first ranking, the training samples are
 * scored and the out-of-fold label check joins the queue in the background, and each of
 * those re-ranks it. Tests that depend on tile order start after this.
 */
export async function waitSettled(server: StartedServer, timeoutMs = 300_000): Promise<void> {
  await waitReady(server, timeoutMs);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const q = await queueView(server);
    // A few training rows, not just the first: the first may be one a reviewer relabeled.
    const rows = q ? q.split.flatMap((s, row) => (s === 0 ? [row] : [])).slice(0, 5) : [];
    for (const row of rows) {
      const d = await callApi<{ scores: { labelIssue: number | null } }>(server, 'getSample', {
        id: q!.ids[row],
      }).catch(() => null); // still being scored
      if (d && d.scores.labelIssue !== null) return;
    }
    if (Date.now() > until) throw new Error(`label check not finished after ${timeoutMs} ms\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
