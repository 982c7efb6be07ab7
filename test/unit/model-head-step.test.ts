// The head's hand-written training step against tfjs's own autodiff and optimizer: the
// gradients of HeadModel's member logits (the inference code) through tf.variableGrads, Adam
// against tf.train.adam, and how many rows a step takes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tf } from '../../src/main/engine/model/tf.js';
import { HeadModel } from '../../src/main/engine/model/head-model.js';
import { blockDiagonal, diagonalBlocks, headStep } from '../../src/main/engine/model/head-step.js';
import { Adam } from '../../src/main/engine/model/adam.js';
import { batchFor, trainHead } from '../../src/main/engine/model/head.js';
import { makeRng } from '../../src/main/engine/model/rng.js';

const random = (rng: () => number, n: number, scale = 1) =>
  Float32Array.from({ length: n }, () => (rng() - 0.5) * scale);

function assertClose(actual: Float32Array, expected: Float32Array, what: string, tol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  const scale = Math.max(...expected.map(Math.abs));
  assert.ok(worst <= tol * Math.max(1, scale), `${what}: differs by ${worst} (values up to ${scale})`);
}

for (const members of [1, 3])
  test(`headStep's gradients are autodiff's through HeadModel (${members} member${members > 1 ? 's' : ''}, dropout, smoothed targets)`, () => {
    const rng = makeRng(11 + members);
    const [B, dim, H, C] = [6, 5, 4, 3];
    const W = members * H;
    const w = {
      mean: new Float32Array(dim),
      std: new Float32Array(dim).fill(1),
      w1: random(rng, dim * W, 2),
      b1: random(rng, W, 0.5),
      w2: random(rng, W * C, 2),
      b2: random(rng, members * C, 0.5),
    };
    const z = random(rng, B * dim, 3);
    const labels = Array.from({ length: B }, (_, k) => k % C);
    const smoothing = 0.1;
    const target = (k: number, c: number) => (c === labels[k] ? 1 - smoothing : 0) + smoothing / C;
    const mask = Float32Array.from({ length: B * W }, () => (rng() < 0.3 ? 0 : 1 / 0.7));

    const model = new HeadModel(dim, H, C, 0.3, w, members);
    const expected = tf.tidy(() => {
      const y = tf.tensor3d(
        Array.from({ length: members }, () => labels.map((_, k) => Array.from({ length: C }, (_, c) => target(k, c)))),
      );
      const { grads } = tf.variableGrads(() => {
        const each = model.memberLogits(model.hiddenPre(tf.tensor2d(z, [B, dim])), tf.tensor2d(mask, [B, W]));
        return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(each)), 2))) as tf.Scalar;
      }, model.trainableVariables());
      return [model.w1, model.b1, model.w2, model.b2].map((v) => grads[v.name]!.dataSync() as Float32Array);
    });

    const got = tf.tidy(() => {
      const params = {
        w1: tf.variable(tf.tensor2d(w.w1, [dim, W])),
        b1: tf.variable(tf.tensor1d(w.b1)),
        w2: tf.variable(tf.tensor2d(blockDiagonal(w.w2, members, H, C), [W, members * C])),
        b2: tf.variable(tf.tensor1d(w.b2)),
      };
      const targets = tf.tensor2d(
        Float32Array.from({ length: B * members * C }, (_, i) => target(Math.floor(i / (members * C)), i % C)),
        [B, members * C],
      );
      const blockMask =
        members === 1
          ? null
          : tf.tensor2d(blockDiagonal(new Float32Array(W * C).fill(1), members, H, C), [W, members * C]);
      const step = headStep(params, tf.tensor2d(z, [B, dim]), targets, tf.tensor2d(mask, [B, W]), members, blockMask);
      const out = step.grads.map((g) => g.dataSync() as Float32Array);
      tf.dispose(Object.values(params));
      return out;
    });
    model.dispose();
    assertClose(got[0]!, expected[0]!, 'w1');
    assertClose(got[1]!, expected[1]!, 'b1');
    const offDiagonal = got[2]!.filter(
      (_, i) => Math.floor(i / (members * C) / H) !== Math.floor((i % (members * C)) / C),
    );
    assert.ok(
      offDiagonal.every((v) => v === 0),
      'the output kernel stays block-diagonal',
    );
    assertClose(diagonalBlocks(got[2]!, members, H, C), expected[2]!, 'w2');
    assertClose(got[3]!, expected[3]!, 'b2');
  });

test('blockDiagonal and diagonalBlocks are inverses', () => {
  const w2 = Float32Array.from({ length: 3 * 2 * 4 }, (_, i) => i + 1);
  const bd = blockDiagonal(w2, 3, 2, 4);
  assert.equal(bd.length, 6 * 12);
  assert.deepEqual([...bd.subarray(12 * 2, 12 * 3)], [0, 0, 0, 0, 9, 10, 11, 12, 0, 0, 0, 0]);
  assert.deepEqual(diagonalBlocks(bd, 3, 2, 4), w2);
});

test("Adam's update is tf.train.adam's", () => {
  const rng = makeRng(5);
  const init = [random(rng, 12, 2), random(rng, 3, 2)];
  const grads = Array.from({ length: 4 }, () => [random(rng, 12), random(rng, 3)]);
  const rates = [0.01, 0.01, 0.005, 0.002];
  const ours = init.map((v) => tf.variable(tf.tensor1d(v)));
  const theirs = init.map((v) => tf.variable(tf.tensor1d(v)));
  const adam = new Adam(ours);
  const reference = tf.train.adam(rates[0]);
  grads.forEach((g, t) => {
    tf.tidy(() =>
      adam.step(
        g.map((x) => tf.tensor1d(x)),
        rates[t]!,
      ),
    );
    (reference as unknown as { learningRate: number }).learningRate = rates[t]!;
    tf.tidy(() => reference.applyGradients(theirs.map((v, i) => ({ name: v.name, tensor: tf.tensor1d(g[i]!) }))));
  });
  ours.forEach((v, i) =>
    assertClose(v.dataSync() as Float32Array, theirs[i]!.dataSync() as Float32Array, `variable ${i}`, 1e-6),
  );
  assert.ok(
    ours[0]!.dataSync().some((x, j) => Math.abs(x - init[0]![j]!) > 1e-3),
    'the variables moved',
  );
  assert.throws(() => adam.step([tf.zeros([12])], 0.01), /1 gradients for 2 variables/);
  adam.dispose();
  reference.dispose();
  tf.dispose([...ours, ...theirs]);
});

test('a step takes about a sixteenth of the rows, between 128 and the largest batch', () => {
  assert.deepEqual(
    [50, 400, 2000, 4000, 8000, 10_000, 100_000].map((n) => batchFor(n, 512)),
    [50, 128, 128, 256, 512, 512, 512],
  );
  assert.equal(batchFor(8000, 64), 64);
  assert.equal(batchFor(8000, 200), 200);
});

test('minSteps gives a small set more epochs', async () => {
  const dim = 4;
  const n = 40;
  const features = random(makeRng(3), n * dim);
  const base = {
    features,
    dim,
    indices: Int32Array.from({ length: n }, (_, i) => i),
    labels: new Int32Array(n).map((_, i) => i % 2),
    numClasses: 2,
  };
  const seen: number[] = [];
  const opts = { epochs: 2, seed: 1, hidden: 4, dropout: 0, batch: 512, lr: 0.01 };
  (await trainHead(base, { ...opts, minSteps: 7 }, (p) => seen.push(p.epochs))).dispose();
  assert.deepEqual([...new Set(seen)], [7], '40 rows are one step an epoch: 7 epochs for 7 steps');
  seen.length = 0;
  (await trainHead(base, opts, (p) => seen.push(p.epochs))).dispose();
  assert.deepEqual([...new Set(seen)], [2]);
});
