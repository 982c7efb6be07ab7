// A retrain of a head carries its neighbours over from the scoring before: the result is the
// full search's (same neighbours, same similarities to float rounding), whether rows joined
// the base, left it (their neighbours are searched again) or only changed class; and nothing
// is carried when the embeddings differ (a CNN's change with every training).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { Engine } from '../../src/main/engine/engine.js';
import { trainModel } from '../../src/main/engine/pipeline/train-model.js';
import {
  buildScoreTable,
  neighbourhoodOfEarlier,
  type ScoreResult,
} from '../../src/main/engine/pipeline/score-table.js';
import type { ModelInputs } from '../../src/main/engine/model/inputs.js';
import { makeRng } from '../../src/main/engine/model/rng.js';
import { photoRecipe } from '../../src/main/engine/model/backbone.js';

const CLASSES = ['a', 'b', 'c'];
const N_TRAIN = 300;
const N_POOL = 120;
const DIM = 24;

function rows(): ModelInputs {
  const rng = makeRng(5);
  const data = new Float32Array((N_TRAIN + N_POOL) * DIM);
  for (let i = 0; i < N_TRAIN + N_POOL; i++)
    for (let j = 0; j < DIM; j++) data[i * DIM + j] = (j % 3 === i % 3 ? 2 : 0) + (rng() - 0.5) * 3 + 4;
  return { kind: 'features', dim: DIM, data };
}

const inputs = rows();
const ids = Array.from({ length: N_TRAIN + N_POOL }, (_, i) => `r${i}`);
const firstLabels: (string | null)[] = ids.map((_, i) => (i < N_TRAIN ? CLASSES[i % 3]! : null));

async function scoreWith(labels: (string | null)[], earlier: ScoreResult | null, messages: string[] = []) {
  const m = await trainModel(
    {
      ids,
      inputs,
      labels,
      knownClasses: CLASSES,
      epochs: 2,
      seed: 3,
      projectDir: null,
      rowSource: { id: 'toy-rows', recipe: photoRecipe(32) },
    },
    () => {},
  );
  try {
    const input = {
      classifier: m.classifier,
      inputs,
      labels,
      trainIndices: m.trainIndices,
      heldOutIndices: m.heldOutIndices,
      modelVersion: m.modelVersion,
    };
    const carried = await buildScoreTable(
      { ...input, earlier: earlier ? neighbourhoodOfEarlier(earlier) : null },
      (_p, _f, message) => messages.push(message),
    );
    const full = await buildScoreTable(input);
    return { carried, full };
  } finally {
    m.classifier.dispose();
  }
}

function sameNeighbours(a: ScoreResult, b: ScoreResult): void {
  const k = a.table.k;
  assert.equal(k, b.table.k);
  for (let r = 0; r < ids.length; r++) {
    const x = Array.from(a.table.neighbours.subarray(r * k, (r + 1) * k));
    const y = Array.from(b.table.neighbours.subarray(r * k, (r + 1) * k));
    assert.deepEqual(x, y, `row ${r}'s neighbours`);
    for (let j = r * k; j < (r + 1) * k; j++)
      assert.ok(Math.abs(a.table.neighbourSims[j]! - b.table.neighbourSims[j]!) < 1e-5, `row ${r} similarity`);
  }
  for (let r = 0; r < ids.length; r++)
    assert.ok(Math.abs(a.table.knnDistance[r]! - b.table.knnDistance[r]!) < 1e-5, `row ${r} knn distance`);
}

test("a head's retrain carries the neighbours over and gets the full search's", async () => {
  const { carried: first } = await scoreWith(firstLabels, null);
  const labels = [...firstLabels];
  for (let i = N_TRAIN; i < N_TRAIN + 40; i++) labels[i] = CLASSES[i % 3]!; // pool rows join the base
  for (let i = 0; i < 30; i += 3) labels[i] = 'other'; // training rows leave it
  for (let i = 1; i < 30; i += 3) labels[i] = CLASSES[(i + 1) % 3]!; // relabelled: still in it
  const messages: string[] = [];
  const { carried, full } = await scoreWith(labels, first, messages);
  const note = messages.find((m) => /carried over from the last model/.test(m));
  assert.ok(note, 'the neighbours were carried');
  const count = Number(/Neighbours of (\d+) samples/.exec(note)![1]);
  assert.ok(count > 0 && count < ids.length, `${count} carried: rows next to one that left are searched again`);
  sameNeighbours(carried, full);
  assert.ok(
    carried.base.some((r) => labels[r] !== null && !first.base.includes(r)),
    'rows joined the base (else the merge is not tested)',
  );
});

test('nothing is carried when the embeddings differ', async () => {
  const { carried: first } = await scoreWith(firstLabels, null);
  const shifted = { ...first, embeddings: first.embeddings.map((v, i) => (i === 0 ? v + 1e-3 : v)) };
  const messages: string[] = [];
  const labels = [...firstLabels];
  labels[N_TRAIN] = 'a';
  const { carried, full } = await scoreWith(labels, shifted, messages);
  assert.ok(!messages.some((m) => /carried over/.test(m)), messages.join('\n'));
  sameNeighbours(carried, full);
});

test("the engine carries a retrain's neighbours over from the scoring before it", { timeout: 120_000 }, async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'unsure-carry-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const colours: Record<string, [number, number, number]> = {
    red: [200, 40, 40],
    green: [40, 180, 60],
    blue: [40, 60, 200],
  };
  const write = async (file: string, rgb: [number, number, number], k: number) => {
    mkdirSync(path.dirname(file), { recursive: true });
    const px = Buffer.alloc(40 * 40 * 3);
    for (let i = 0; i < px.length; i++) px[i] = Math.max(0, Math.min(255, rgb[i % 3]! + ((i * 7 + k * 31) % 61) - 30));
    writeFileSync(
      file,
      await sharp(px, { raw: { width: 40, height: 40, channels: 3 } })
        .png()
        .toBuffer(),
    );
  };
  for (const [name, rgb] of Object.entries(colours))
    for (let k = 0; k < 8; k++) {
      await write(path.join(root, 'train', name, `${k}.png`), rgb, k);
      await write(path.join(root, 'pool', `${name}-${k}.png`), rgb, k + 50);
    }
  const engine = new Engine();
  try {
    const opened = await engine.open(
      { train: path.join(root, 'train'), pool: path.join(root, 'pool'), projectDir: path.join(root, 'project') },
      () => {},
    );
    const labels = opened.samples.map((s) => (s.split === 'train' ? s.label : null));
    const never = new AbortController().signal;
    await engine.train({ labels, seed: 1 }, () => {}, never);
    await engine.score(() => {});
    const joined = opened.samples.flatMap((s, i) => (s.split === 'pool' && s.path.startsWith('red-') ? [i] : []));
    for (const i of joined) labels[i] = 'red';
    await engine.train({ labels, seed: 1 }, () => {}, never);
    const messages: string[] = [];
    const table = await engine.score((p) => messages.push(p.message ?? ''));
    assert.ok(
      messages.some((m) => /carried over from the last model/.test(m)),
      messages.join('\n'),
    );
    const k = table.k;
    assert.ok(
      opened.samples.some((_, r) =>
        joined.some((j) => j !== r && table.neighbours.subarray(r * k, (r + 1) * k).includes(j)),
      ),
      "a pool photo labelled since is some row's neighbour",
    );
  } finally {
    await engine.close();
  }
});
