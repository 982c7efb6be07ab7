// The queue route under load against the real server: 20 clients fetching getQueue in a
// loop for 20 s (gzip accepted, as a browser does), while one more client sends a small
// getProject every 50 ms. Targets: queue p99 < 500 ms, getProject p99 < 100 ms. The samples
// (ids and static columns) are fetched once per opening, not per revision: one timed call.
// Run: node --import tsx bench/queue-load.ts [--dataset demo,100k] [--clients N] [--seconds S]
import { parseArgs } from 'node:util';
import { formatTable, printMachine } from './machine.js';
import { datasetArg, percentile, startBenchServer, timedCall } from './server-load.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv,
    options: { dataset: { type: 'string' }, clients: { type: 'string' }, seconds: { type: 'string' } },
  });
  const clients = Number(values.clients ?? 20);
  const seconds = Number(values.seconds ?? 20);
  const log = (s: string) => process.stderr.write(s);
  printMachine();
  const rows: (string | number)[][] = [
    ['dataset', 'route', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'KB each', 'errors'],
  ];
  for (const dataset of datasetArg(argv)) {
    const server = await startBenchServer(dataset, log);
    try {
      const gzip = { 'Accept-Encoding': 'gzip' };
      const samples = await timedCall(server, 'getSamples', {}, gzip); // once per opening
      const first = await timedCall(server, 'getQueue', {}, gzip); // the one encoding of this revision
      const until = performance.now() + seconds * 1000;
      const queue: number[] = [];
      const project: number[] = [];
      let errors = 0;
      let bytes = first.bytes;
      const loop = async (name: string, into: number[], pauseMs: number) => {
        while (performance.now() < until) {
          const r = await timedCall(server, name, {}, gzip);
          if (r.status !== 200) errors++;
          if (name === 'getQueue') bytes = r.bytes;
          into.push(r.ms);
          if (pauseMs) await new Promise((res) => setTimeout(res, pauseMs));
        }
      };
      await Promise.all([
        ...Array.from({ length: clients }, () => loop('getQueue', queue, 0)),
        loop('getProject', project, 50),
      ]);
      rows.push([dataset, 'getSamples (once)', 1, NaN, samples.ms, samples.ms, samples.ms, samples.bytes / 1024, 0]);
      for (const [route, ms] of [
        ['getQueue', queue],
        ['getProject', project],
      ] as const) {
        rows.push([
          dataset,
          route,
          ms.length,
          ms.length / seconds,
          percentile(ms, 50),
          percentile(ms, 99),
          Math.max(...ms),
          route === 'getQueue' ? bytes / 1024 : NaN,
          errors,
        ]);
      }
    } finally {
      await server.stop();
    }
  }
  process.stdout.write(`getQueue: ${clients} clients for ${seconds} s, plus getProject every 50 ms\n`);
  process.stdout.write(formatTable(rows));
  process.stdout.write('targets: getQueue p99 < 500 ms, getProject p99 < 100 ms\n');
}

await main();
