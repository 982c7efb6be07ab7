// Shared by the server benchmarks (journal-append.ts, queue-load.ts): the real browser-mode
// server (`unsure serve` as a child process) on the demo or on the 100k-sample project of
// bench/ui-dataset.ts, raw HTTP calls that time one request, and percentiles.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServer, waitSettled, type StartedServer } from '../test/e2e/server.js';
import { ensureUiDataset } from './ui-dataset.js';

export type BenchDataset = 'demo' | '100k';

/**
 * Starts `unsure serve` on the dataset in a throwaway UNSURE_HOME and waits until the ranking
 * is final (the background label check done), so the figures time the server, not a training.
 */
export async function startBenchServer(dataset: BenchDataset, log: (s: string) => void): Promise<StartedServer> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-bench-server-'));
  const data = dataset === '100k' ? ensureUiDataset(log) : null;
  log(`starting unsure serve on ${dataset === 'demo' ? 'the demo' : `${data!.train} + ${data!.pool}`}\n`);
  const server = await startServer({ train: data?.train, pool: data?.pool, home });
  await waitSettled(server, 60 * 60_000);
  return server;
}

// Kept-alive connections, as a browser's: the figures are the server's, not TCP set-up's.
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface Timed {
  status: number;
  ms: number;
  bytes: number;
  body: Buffer;
}

/** One API call, timed from sending to the last byte (the body is not decompressed). */
export function timedCall(
  server: StartedServer,
  name: string,
  params: unknown,
  headers: Record<string, string> = {},
): Promise<Timed> {
  const body = JSON.stringify(params);
  const u = new URL(server.origin);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: Number(u.port),
        method: 'POST',
        path: `/api/${name}`,
        agent: keepAlive,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Authorization: `Bearer ${server.token}`,
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, bytes: all.length, body: all });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function datasetArg(argv: string[]): BenchDataset[] {
  const i = argv.indexOf('--dataset');
  const v = i >= 0 ? argv[i + 1] : 'demo,100k';
  const out = (v ?? '').split(',').filter(Boolean);
  for (const d of out)
    if (d !== 'demo' && d !== '100k') throw new Error(`--dataset: expected demo and/or 100k, got ${d}`);
  return out as BenchDataset[];
}
