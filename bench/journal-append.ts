// Bulk decisions against the real server: one appendJournal of 1,000 and of 10,000 entries
// (a reviewer's one keystroke on that many selected samples), with a getProject sent while
// each is in flight. Targets: 1,000 in < 1 s, 10,000 in < 5 s, getProject meanwhile < 1 s.
// Run: node --import tsx bench/journal-append.ts [--dataset demo,100k]
import { randomUUID } from 'node:crypto';
import type { JournalEntry, ProjectInfo } from '../src/shared/api.js';
import type { QueueView } from '../src/renderer/src/queue/view.js';
import { callApi, queueView } from '../test/e2e/server.js';
import { formatTable, printMachine } from './machine.js';
import { datasetArg, startBenchServer, timedCall } from './server-load.js';

const SIZES = [1_000, 10_000];

function entries(queue: QueueView, labels: readonly string[], n: number, offset: number): JournalEntry[] {
  const batchId = randomUUID();
  const at = new Date().toISOString();
  return Array.from({ length: n }, (_, k) => {
    const sampleId = queue.ids[(offset + k) % queue.ids.length]!;
    return {
      kind: 'decision',
      entryId: randomUUID(),
      batchId,
      sampleId,
      action: 'relabel',
      before: null,
      after: labels[k % labels.length]!,
      at,
      reviewer: 'bench',
    };
  });
}

async function main(): Promise<void> {
  const log = (s: string) => process.stderr.write(s);
  printMachine();
  const rows: (string | number)[][] = [['dataset', 'entries', 'append ms', 'getProject meanwhile ms', 'appended']];
  for (const dataset of datasetArg(process.argv.slice(2))) {
    const server = await startBenchServer(dataset, log);
    try {
      const project = await callApi<ProjectInfo>(server, 'getProject');
      const queue = (await queueView(server))!;
      let offset = 0;
      for (const n of SIZES) {
        const batch = entries(queue, project.labels, n, offset);
        offset += n;
        const append = timedCall(server, 'appendJournal', { entries: batch });
        // Sent once the append is on its way: what another tab's refresh would see.
        await new Promise((r) => setTimeout(r, 5));
        const meanwhile = await timedCall(server, 'getProject', {});
        const a = await append;
        if (a.status !== 200) throw new Error(`appendJournal of ${n}: HTTP ${a.status}: ${a.body.toString()}`);
        const appended = (JSON.parse(a.body.toString()) as { result: { appended: number } }).result.appended;
        rows.push([project.dataset.demo ? 'demo' : `${queue.ids.length} samples`, n, a.ms, meanwhile.ms, appended]);
      }
    } finally {
      await server.stop();
    }
  }
  process.stdout.write('appendJournal (one call, fsynced before the answer)\n');
  process.stdout.write(formatTable(rows));
  process.stdout.write('targets: 1,000 < 1000 ms, 10,000 < 5000 ms, getProject meanwhile < 1000 ms\n');
}

await main();
