// The "other" loop of issue 10: a reviewer marks `marked` distractors (drawn at random from
// every development kind) 'other', the model retrains with them, and the rest is predicted.
// Prints, per kind, the share of held-out distractors predicted 'other' and ood_score AUROC
// (distractors vs MNIST test digits), and the share of test digits predicted 'other'. The
// kinds never marked (the eval-only letters-like and shifted) show how far the open set
// reaches past what was marked. The Keras peer (keras_pipeline.py: the same small CNN with
// 11 outputs, no special treatment of 'other') runs on the same images written as PNG
// folders, unless --no-peer. `npm run bench -- other [--train-size N] [--no-peer]`.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OTHER_BY_DISTANCE, OTHER_LABEL } from '../src/shared/api.js';
import { makeRng, shuffleInPlace } from '../src/main/engine/model/rng.js';
import { parseCsv } from '../src/main/engine/datasets/csv.js';
import { gatherRows } from '../src/main/engine/embeddings/gather-rows.js';
import { auroc } from '../src/main/engine/scores/index.js';
import { PIXELS_PER_IMAGE } from '../src/main/engine/types.js';
import { writePngs } from './fixtures.js';
import { KERAS_SCRIPT, kerasPython, peerMissing, timedRun } from './peer.js';
import { qualityLayout, trainAndScore, type QualityLayout } from './quality-layout.js';

const MARKED_KINDS = ['missegmented', 'scribble', 'noise', 'fashion', 'symbols'];
const UNMARKED_KINDS = ['letters-like', 'shifted'];

export interface OtherClassOptions {
  trainSize: number;
  epochs: number;
  seed?: number;
  perKind?: number;
  marked?: number;
  noPeer?: boolean;
}

/** What a scorer said of each pool row: called 'other', and its ood score. */
interface Verdicts {
  isOther: (row: number) => boolean;
  ood: (row: number) => number;
}

const rowsPixels = (layout: QualityLayout, rows: readonly number[]) =>
  gatherRows(layout.pixels, PIXELS_PER_IMAGE, rows, (m) => new Uint8Array(m));

/** keras_pipeline.py on the same training set (digits and the marked rows in `other/`) and pool. */
async function peerVerdicts(
  layout: QualityLayout,
  trainRows: number[],
  poolRows: number[],
  epochs: number,
): Promise<Verdicts> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'unsure-bench-other-'));
  try {
    await writePngs(path.join(tmp, 'train'), rowsPixels(layout, trainRows), (k) => layout.labels[trainRows[k]!]!);
    await writePngs(path.join(tmp, 'pool'), rowsPixels(layout, poolRows), () => '.');
    const csvPath = path.join(tmp, 'peer.csv');
    await timedRun(
      kerasPython(),
      [KERAS_SCRIPT, path.join(tmp, 'train'), path.join(tmp, 'pool'), csvPath, String(epochs)],
      {
        ...process.env,
        TF_CPP_MIN_LOG_LEVEL: '2',
      },
    );
    const [head = [], ...rows] = parseCsv(await readFile(csvPath, 'utf8')).map((r) => r.fields);
    const [pathCol, predCol, oodCol] = ['path', 'predicted', 'ood_score'].map((c) => head.indexOf(c));
    if ([pathCol, predCol, oodCol].includes(-1)) throw new Error(`${csvPath}: no path, predicted or ood_score column`);
    const other = new Set<number>();
    const ood = new Map<number, number>();
    for (const f of rows) {
      const row = poolRows[Number.parseInt(f[pathCol!]!, 10)]!; // the file is named by its place in poolRows
      if (f[predCol!] === OTHER_LABEL) other.add(row);
      ood.set(row, Number(f[oodCol!]));
    }
    if (ood.size !== poolRows.length)
      throw new Error(`peer CSV has ${ood.size} rows for ${poolRows.length} pool images`);
    return { isOther: (r) => other.has(r), ood: (r) => ood.get(r)! };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
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
  const unsure: Verdicts = { isOther: (i) => t.predicted[i] === otherCol, ood: (i) => t.oodScore[i]! };
  const missing = opts.noPeer ? 'skipped (--no-peer)' : peerMissing();
  const total = layout.pixels.length / PIXELS_PER_IMAGE;
  const poolRows = Array.from({ length: total - layout.nTrain }, (_, j) => layout.nTrain + j).filter(
    (i) => !markedRows.has(i),
  );
  const trainRows = [...Array.from({ length: layout.nTrain }, (_, i) => i), ...markedRows];
  const peer = missing === null ? await peerVerdicts(layout, trainRows, poolRows, epochs) : null;

  out(
    `${layout.nTrain} digits + ${marked} distractors marked 'other' (of ${MARKED_KINDS.length} kinds), ` +
      `${epochs} epochs, seed ${seed}: training ${run.trainSec.toFixed(1)} s\n`,
  );
  out(`peer: ${peer ? 'keras_pipeline.py on the same images as PNG folders' : `none (${missing})`}\n`);
  const testRows = Array.from({ length: layout.test.count }, (_, j) => layout.nTrain + j);
  const sides = peer ? [unsure, peer] : [unsure];
  const testOod = sides.map((v) => testRows.map(v.ood));
  const share = (v: Verdicts, rows: number[]) => pct(rows.filter(v.isOther).length, rows.length);
  const alsoPeer = (rows: number[]) => (peer ? ` (peer ${share(peer, rows)})` : '');
  out(`MNIST test digits predicted 'other': ${share(unsure, testRows)}${alsoPeer(testRows)} (target <= 0.5%)\n`);
  out(`kind            held out   predicted other   ood AUROC${peer ? '       peer other   ood AUROC' : ''}\n`);
  const heldMarked: number[] = [];
  kinds.forEach((kind, k) => {
    const rows = Array.from({ length: perKind }, (_, j) => first + k * perKind + j).filter((i) => !markedRows.has(i));
    if (k < MARKED_KINDS.length) heldMarked.push(...rows);
    const cells = sides.map((v, side) => {
      const a = auroc(rows.map(v.ood), testOod[side]!);
      return `${share(v, rows).padStart(15)}   ${a.toFixed(4)}`;
    });
    out(
      `${kind.padEnd(14)} ${String(rows.length).padStart(9)}   ${cells.join('  ')}` +
        `${k < MARKED_KINDS.length ? '' : '  (never marked)'}\n`,
    );
  });
  const byDistance = t.predicted.reduce(
    (s, p, i) => s + (p === otherCol && t.flags[i]! & OTHER_BY_DISTANCE ? 1 : 0),
    0,
  );
  out(
    `held-out distractors of the marked kinds predicted 'other': ${share(unsure, heldMarked)}` +
      `${alsoPeer(heldMarked)} (target >= 98%)\n`,
  );
  out(`rows called 'other' for their distance rather than by the classifier: ${byDistance}\n`);
}
