// The "other" loop of issue 10: a reviewer marks `marked` distractors (drawn at random from
// every development kind) 'other', the model retrains with them, and the rest is predicted.
// Prints, per kind, the share of held-out distractors predicted 'other' and ood_score AUROC
// (distractors vs MNIST test digits), and the share of test digits predicted 'other'. The
// kinds never marked (the eval-only letters-like and shifted) show how far the open set
// reaches past what was marked. `npm run bench -- other [--train-size N]`.
import { OTHER_BY_DISTANCE, OTHER_LABEL } from '../src/shared/api.js';
import { makeRng, shuffleInPlace } from '../src/main/engine/model/rng.js';
import { auroc } from '../src/main/engine/scores/index.js';
import { qualityLayout, trainAndScore } from './quality-layout.js';

const MARKED_KINDS = ['missegmented', 'scribble', 'noise', 'fashion', 'symbols'];
const UNMARKED_KINDS = ['letters-like', 'shifted'];

export interface OtherClassOptions {
  trainSize: number;
  epochs: number;
  seed?: number;
  perKind?: number;
  marked?: number;
}

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;

export async function runOtherClass(out: (s: string) => void, opts: OtherClassOptions): Promise<void> {
  const { trainSize, epochs, seed = 42, perKind = 600, marked = 200 } = opts;
  const kinds = [...MARKED_KINDS, ...UNMARKED_KINDS];
  const layout = qualityLayout(trainSize, kinds, perKind, seed);
  const first = layout.nTrain + layout.test.count;
  const candidates = Array.from({ length: MARKED_KINDS.length * perKind }, (_, j) => first + j);
  shuffleInPlace(candidates, makeRng(seed ^ 0x0123));
  const markedRows = new Set(candidates.slice(0, marked));
  for (const i of markedRows) layout.labels[i] = OTHER_LABEL;

  const run = await trainAndScore(layout, epochs, seed);
  const t = run.result.table;
  const otherCol = t.classes.indexOf(OTHER_LABEL);
  const isOther = (i: number) => t.predicted[i] === otherCol;
  const testRows = Array.from({ length: layout.test.count }, (_, j) => layout.nTrain + j);
  const testOod = testRows.map((r) => t.oodScore[r]!);
  out(
    `${layout.nTrain} digits + ${marked} distractors marked 'other' (of ${MARKED_KINDS.length} kinds), ` +
      `${epochs} epochs, seed ${seed}: training ${run.trainSec.toFixed(1)} s\n`,
  );
  out(
    `MNIST test digits predicted 'other': ${pct(testRows.filter(isOther).length, testRows.length)} (target <= 0.5%)\n`,
  );
  out('kind            held out   predicted other   ood AUROC\n');
  let held = 0;
  let called = 0;
  kinds.forEach((kind, k) => {
    const rows = Array.from({ length: perKind }, (_, j) => first + k * perKind + j).filter((i) => !markedRows.has(i));
    const o = rows.filter(isOther).length;
    if (k < MARKED_KINDS.length) {
      held += rows.length;
      called += o;
    }
    const a = auroc(
      rows.map((r) => t.oodScore[r]!),
      testOod,
    );
    out(
      `${kind.padEnd(14)} ${String(rows.length).padStart(9)}   ${pct(o, rows.length).padStart(15)}   ${a.toFixed(4)}` +
        `${k < MARKED_KINDS.length ? '' : '  (never marked)'}\n`,
    );
  });
  const byDistance = t.predicted.reduce(
    (s, p, i) => s + (p === otherCol && t.flags[i]! & OTHER_BY_DISTANCE ? 1 : 0),
    0,
  );
  out(`held-out distractors of the marked kinds predicted 'other': ${pct(called, held)} (target >= 98%)\n`);
  out(`rows called 'other' for their distance rather than by the classifier: ${byDistance}\n`);
}
