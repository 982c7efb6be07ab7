// The service's first launch with the real worker-backed engine on a small real dataset:
// the first 'ready' shows a queue of the pool (and the held-out reference) ranked; the
// training samples join with the next 'ready', in the background, and the samples of the
// first queue keep their order among themselves.
import { writeMnistSlice } from './mnist-slices.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createEngine } from '../../src/main/engine/worker/engine-client-impl.js';
import { UnsureService } from '../../src/main/service/service.js';
import type { JobEvent } from '../../src/shared/api.js';
import { joinQueue, type QueueView } from '../../src/renderer/src/queue/view.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'unsure-service-two-phase-'));

const NT = 700;
const NP = 100;
const queues: QueueView[] = [];
/** Each event as 'ready' or 'check' (label check progress), in the order they came. */
const order: string[] = [];
let service: UnsureService;
let savedHome: string | undefined;

before(async () => {
  savedHome = process.env.UNSURE_HOME;
  process.env.UNSURE_HOME = path.join(tmp, 'home');
  const train = writeMnistSlice(path.join(tmp, 'train'), 'train', 0, NT, true);
  const pool = writeMnistSlice(path.join(tmp, 'pool'), 't10k', 0, NP, false);
  service = new UnsureService({ engine: createEngine(), initial: { train, pool } });
  const labelCheckDone = new Promise<void>((resolve, reject) => {
    service.onEvent((e: JobEvent) => {
      if (e.type === 'progress' && e.task === 'labelcheck') order.push('check');
      if (e.type === 'project' && e.project.status === 'ready') {
        order.push('ready');
        // Snapshot what a UI refetching on this event would get.
        void Promise.all([service.handlers.getSamples({}), service.handlers.getQueue({})]).then(
          ([s, q]) => s && q && queues.push(joinQueue(s, q)),
        );
      }
      if (e.type === 'project' && e.project.status === 'error') reject(new Error(e.project.statusMessage ?? 'error'));
      if (e.type === 'done' && e.task === 'labelcheck') resolve();
      if (e.type === 'error') reject(new Error(`${e.task}: ${e.message}`));
    });
  });
  await service.start();
  await labelCheckDone;
  // Let the last snapshot land.
  await new Promise((r) => setTimeout(r, 50));
});

after(async () => {
  await service?.close();
  if (savedHome === undefined) delete process.env.UNSURE_HOME;
  else process.env.UNSURE_HOME = savedHome;
  rmSync(tmp, { recursive: true, force: true });
});

test('the first queue holds the pool and the held-out samples', () => {
  assert.ok(queues.length >= 2, `${queues.length} ready queues`);
  const first = queues[0]!;
  assert.ok(first.ids.length < NT + NP, `first queue has ${first.ids.length} of ${NT + NP} samples`);
  assert.equal(first.split.filter((s) => s === 1).length, NP, 'every pool sample is in it');
  assert.ok(first.split.filter((s) => s === 0).length > 0, 'the held-out samples are in it');
});

test('the queue is ranked by the priority the details show, most doubtful first', async () => {
  // The queue sends only the order; the full-precision priority is in each detail.
  const current = (await service.handlers.getQueue({}))!;
  const view = joinQueue((await service.handlers.getSamples({}))!, current);
  const priority = await Promise.all(
    view.ids.slice(0, 30).map(async (id) => (await service.handlers.getSample({ id })).scores.reviewPriority),
  );
  for (let r = 1; r < priority.length; r++) assert.ok(priority[r - 1]! >= priority[r]!, `row ${r}`);
});

test('the label check reports from the first ready on, before the training samples join', () => {
  // The training samples' label doubts come with their scores: until then the label-error
  // tab must say the check is running, not look empty.
  const firstReady = order.indexOf('ready');
  const secondReady = order.indexOf('ready', firstReady + 1);
  const firstCheck = order.indexOf('check');
  assert.ok(firstReady >= 0 && secondReady > firstReady, order.join(' '));
  assert.ok(firstCheck > firstReady && firstCheck < secondReady, order.join(' '));
});

test('the training samples join with the next ready, the first ones keeping their order', () => {
  const first = queues[0]!;
  const second = queues[1]!;
  assert.equal(second.ids.length, NT + NP);
  assert.equal(second.modelVersion, first.modelVersion);
  const inFirst = new Set(first.ids);
  assert.deepEqual(
    second.ids.filter((id) => inFirst.has(id)),
    first.ids,
  );
  // After the label check the queue still holds everyone.
  assert.equal(queues[queues.length - 1]!.ids.length, NT + NP);
});

test('a thumbnail sheet stacks the samples the grid asks for, as the model sees them', () => {
  const ids = queues[0]!.ids.slice(0, 3);
  const m = service.mediaSheet(ids);
  assert.equal(m.kind, 'bytes');
  const png = m.kind === 'bytes' ? m.body : Buffer.alloc(0);
  // IHDR: width and height, big-endian, right after the signature and the chunk header.
  assert.equal(png.readUInt32BE(16), 28);
  assert.equal(png.readUInt32BE(20), 28 * 3);
  assert.throws(() => service.mediaSheet([ids[0]!, 'nosuchid']), /no sample with id "nosuchid"/);
});

test('a training sample scored in the background has its detail', async () => {
  const second = queues[1]!;
  const row = second.split.findIndex((s, i) => s === 0 && !new Set(queues[0]!.ids).has(second.ids[i]!));
  assert.ok(row >= 0);
  const d = await service.handlers.getSample({ id: second.ids[row]! });
  assert.equal(d.split, 'train');
  assert.ok(Number.isFinite(d.scores.reviewPriority));
  // The CNN has dropout, so its detail carries the dropout disagreement, a share in [0, 1).
  const mc = d.scores.mcDisagreement;
  assert.ok(mc !== null && mc >= 0 && mc < 1, `mcDisagreement ${mc}`);
});
