// The colour benchmark's judge (bench/colour/judge.ts) on score CSVs written to disk in both
// sides' formats (Unsure's with a split column, the Keras peer's without), and the window
// generator that makes the "straddling two photos" distractors.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { judgeLabels, judgeLoop, judgePool, readScoreCsv } from '../../bench/colour/judge.js';
import { straddle } from '../../bench/colour/synth.js';
import type { Truth } from '../../bench/colour/truth.js';

const truth: Truth = {
  holdout: ['deer'],
  known: ['cat', 'dog'],
  perClass: 2,
  seed: 1,
  pool: {
    'p0.jpg': { kind: 'known', cls: 'cat' },
    'p1.jpg': { kind: 'known', cls: 'cat' },
    'p2.jpg': { kind: 'known', cls: 'dog' },
    'p3.jpg': { kind: 'known', cls: 'dog' },
    'p4.jpg': { kind: 'noise', cls: null },
    'p5.jpg': { kind: 'noise', cls: null },
    'p6.jpg': { kind: 'held-out', cls: 'deer' },
    'p7.jpg': { kind: 'held-out', cls: 'deer' },
  },
  flipped: { 'l0001.jpg': { truth: 'cat', given: 'dog' } },
  labelCount: 4,
  loopOther: ['p5.jpg'],
};

let dir = '';
const write = async (name: string, lines: string[]) => {
  const f = path.join(dir, name);
  await writeFile(f, `${lines.join('\n')}\n`);
  return f;
};

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'unsure-colour-judge-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('colour judge', () => {
  test("Unsure's pool CSV: accuracy on known photos, AUROC overall and per kind, FPR@95", async () => {
    const f = await write('unsure.csv', [
      'id,path,split,label,predicted,ood_score,label_issue',
      'a,t.jpg,train,cat,cat,9,0.1', // a training row: never judged as pool
      'b,p0.jpg,pool,,cat,0.1,',
      'c,p1.jpg,pool,,dog,0.2,',
      'd,p2.jpg,pool,,dog,0.3,',
      'e,p3.jpg,pool,,dog,0.4,',
      'f,p4.jpg,pool,,cat,0.9,',
      'g,p5.jpg,pool,,other,0.8,',
      'h,p6.jpg,pool,,cat,0.35,',
      'i,p7.jpg,pool,,cat,0.05,',
    ]);
    const fig = judgePool(await readScoreCsv(f), truth.pool, f);
    assert.equal(fig.accuracy, 0.75);
    assert.equal(fig.known, 4);
    assert.equal(fig.missing, 0);
    assert.equal(fig.perKind.noise!.auroc, 1);
    // 0.35 beats 3 of 4 known photos, 0.05 beats none: (3 + 0) / 8.
    assert.equal(fig.perKind['held-out']!.auroc, 3 / 8);
    assert.equal(fig.auroc, (4 + 4 + 3 + 0) / 16);
    // 95% of the known photos lie at or below 0.4: 0.35 and 0.05 are accepted.
    assert.equal(fig.fpr95, 0.5);
  });

  test("the peer's CSV (no split column) is judged the same way, rows missing from it counted", async () => {
    const f = await write('keras.csv', [
      'path,label,predicted,confidence,ood_score,label_issue',
      'p0.jpg,,cat,0.9,0.1,',
      'p2.jpg,,cat,0.9,0.2,',
      'p4.jpg,,cat,0.9,0.3,',
      'p6.jpg,,cat,0.9,0.4,',
    ]);
    const fig = judgePool(await readScoreCsv(f), truth.pool, f);
    assert.equal(fig.missing, 4);
    assert.equal(fig.accuracy, 0.5);
    assert.equal(fig.auroc, 1);
  });

  test('label issues: AUROC of flipped against kept rows and precision@k with k = flips', async () => {
    const f = await write('labels.csv', [
      'path,split,predicted,ood_score,label_issue',
      'cat/l0000.jpg,train,cat,0,0.2',
      'dog/l0001.jpg,train,cat,0,0.5',
      'dog/l0002.jpg,train,dog,0,0.7',
      'cat/l0003.jpg,train,cat,0,0.1',
    ]);
    const fig = judgeLabels(await readScoreCsv(f), truth, f);
    assert.equal(fig.flipped, 1);
    assert.equal(fig.auroc, 2 / 3);
    assert.equal(fig.precisionAtK, 0);
  });

  test("the loop: the marked distractors are left out; shares predicted 'other'", async () => {
    const f = await write('loop.csv', [
      'path,split,predicted,ood_score,label_issue',
      ...['p0', 'p1', 'p2', 'p3'].map((p, i) => `${p}.jpg,pool,${i === 0 ? 'other' : 'cat'},0.${i},`),
      'p4.jpg,pool,other,0.9,',
      'p6.jpg,pool,other,0.8,',
      'p7.jpg,pool,cat,0.85,',
    ]);
    const fig = judgeLoop(await readScoreCsv(f), truth, f);
    assert.equal(fig.heldOut, 3);
    assert.equal(fig.heldOutOther, 2 / 3);
    assert.equal(fig.knownOther, 0.25);
    assert.equal(fig.auroc, 1);
  });

  test('a CSV without the columns the judge needs is refused, naming the file and the column', async () => {
    const f = await write('bad.csv', ['path,predicted,label_issue', 'p0.jpg,cat,']);
    await assert.rejects(readScoreCsv(f), (err: Error) => err.message.includes(f) && err.message.includes('ood_score'));
    const g = await write('bad-number.csv', ['path,predicted,ood_score,label_issue', 'p0.jpg,cat,abc,']);
    await assert.rejects(readScoreCsv(g), /bad-number\.csv:2: ood_score 'abc' is not a number/);
  });
});

describe('straddle', () => {
  test('a window across two photos takes the right half of one and the left half of the other', () => {
    const a = new Uint8Array(4 * 4 * 3).fill(10);
    const b = new Uint8Array(4 * 4 * 3).fill(200);
    const w = straddle(a, b, 4, true);
    for (let y = 0; y < 4; y++) {
      const row = Array.from({ length: 4 }, (_, x) => w[(y * 4 + x) * 3]);
      assert.deepEqual(row, [10, 10, 200, 200]);
    }
    const down = straddle(a, b, 4, false);
    assert.deepEqual(
      Array.from({ length: 4 }, (_, y) => down[y * 4 * 3]),
      [10, 10, 200, 200],
    );
  });
});
