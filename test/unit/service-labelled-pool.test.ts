// A review pool with labels, in the app: its labels are what the review checks, not training
// data. A class named only in the pool does not become a class of the model, and a wrong
// pool label is flagged by the model that never saw it, as `unsure score --pool` does.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { encodeGreyPng, readMnistRaw } from '../../src/main/engine/datasets/index.js';
import { imageAt } from '../../src/main/engine/types.js';
import { createEngine } from '../../src/main/engine/worker/engine-client-impl.js';
import { joinQueue } from '../../src/renderer/src/queue/view.js';
import { UnsureService } from '../../src/main/service/service.js';
import { DoubtFlag, type JobEvent, type ProjectInfo } from '../../src/shared/api.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'unsure-service-labelled-pool-'));
let service: UnsureService;
let savedHome: string | undefined;
/** Pool file name -> whether its label is wrong. */
const wrong = new Map<string, boolean>();

function write(dir: string, label: string, name: string, pixels: Uint8Array): void {
  mkdirSync(path.join(dir, label), { recursive: true });
  writeFileSync(path.join(dir, label, name), encodeGreyPng(pixels, 28, 28));
}

before(async () => {
  savedHome = process.env.UNSURE_HOME;
  process.env.UNSURE_HOME = path.join(tmp, 'home');
  const mnist = readMnistRaw('train');
  const train = path.join(tmp, 'train');
  const pool = path.join(tmp, 'pool');
  let inTrain = 0;
  let inPool = 0;
  for (let i = 0; inTrain < 1200 || inPool < 120; i++) {
    const digit = mnist.labels[i]!;
    const img = imageAt(mnist.pixels, i);
    if (inTrain < 1200 && digit < 5) write(train, String(digit), `${inTrain++}.png`, img);
    else if (inTrain >= 1200 && inPool < 120) {
      // Digits 0-4 labelled, every fifth of them wrongly; 9s labelled '9', a class the training set lacks.
      if (digit === 9) write(pool, '9', `p${inPool++}.png`, img);
      else if (digit < 5) {
        const bad = inPool % 5 === 0;
        const name = `p${inPool++}.png`;
        wrong.set(name, bad);
        write(pool, String(bad ? (digit + 2) % 5 : digit), name, img);
      }
    }
  }
  service = new UnsureService({ engine: createEngine(), initial: { train, pool } });
  const checked = new Promise<void>((resolve, reject) => {
    service.onEvent((e: JobEvent) => {
      if (e.type === 'done' && e.task === 'labelcheck') resolve();
      if (e.type === 'error') reject(new Error(`${e.task}: ${e.message}`));
      if (e.type === 'project' && e.project.status === 'error') reject(new Error(e.project.statusMessage ?? 'error'));
    });
  });
  await service.start();
  await checked;
});

after(async () => {
  await service?.close();
  if (savedHome === undefined) delete process.env.UNSURE_HOME;
  else process.env.UNSURE_HOME = savedHome;
  rmSync(tmp, { recursive: true, force: true });
});

test("a class named only in the pool is not one of the model's classes", async () => {
  const p = (await service.handlers.getProject({})) as ProjectInfo;
  assert.deepEqual(p.classes, ['0', '1', '2', '3', '4']);
  // And the reviewer is told why the model never predicts them.
  assert.ok(
    p.warnings?.some((w) => /^The pool gives labels the training set lacks: '9' \(\d+\)\./.test(w)),
    JSON.stringify(p.warnings),
  );
  // The samples still say what they were given, for the tiles, and as no assignable label.
  const samples = (await service.handlers.getSamples({}))!;
  const foreign = Object.entries(samples.foreignGiven ?? {});
  assert.ok(foreign.length > 0 && foreign.every(([i, l]) => l === '9' && samples.given[Number(i)] === -1));
  const queue = (await service.handlers.getQueue({}))!;
  const view = joinQueue(samples, queue);
  assert.equal(view.foreignGiven?.size, foreign.length);
  for (const [r, l] of view.foreignGiven ?? []) assert.ok(l === '9' && samples.foreignGiven?.[queue.order[r]!] === '9');
});

test('wrong pool labels are flagged by the model that never trained on them', async () => {
  const samples = (await service.handlers.getSamples({}))!;
  const queue = (await service.handlers.getQueue({}))!;
  const flagOf = new Map(queue.order.map((s, r) => [samples.ids[s]!, queue.flags[r]!]));
  let wrongFlagged = 0;
  let rightFlagged = 0;
  let nWrong = 0;
  for (let s = 0; s < samples.ids.length; s++) {
    if (samples.split[s] !== 1) continue;
    const d = await service.handlers.getSample({ id: samples.ids[s]! });
    const name = path.basename(d.file ?? '');
    if (!wrong.has(name)) continue;
    assert.ok(d.scores?.labelIssue !== null && d.scores?.labelIssue !== undefined, `${name} has a label_issue`);
    const flagged = (flagOf.get(samples.ids[s]!)! & DoubtFlag.labelIssue) !== 0;
    if (wrong.get(name)) {
      nWrong++;
      if (flagged) wrongFlagged++;
    } else if (flagged) rightFlagged++;
  }
  assert.ok(nWrong >= 15, `${nWrong} wrong labels in the pool`);
  assert.ok(wrongFlagged >= 0.8 * nWrong, `${wrongFlagged} of ${nWrong} wrong labels flagged`);
  assert.ok(rightFlagged <= 0.1 * (wrong.size - nWrong), `${rightFlagged} right labels flagged`);
});
