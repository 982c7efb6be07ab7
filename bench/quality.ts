// Quality benchmark: the model trained cold on MNIST, then
//   - in-distribution accuracy on the 10,000 MNIST test digits;
//   - OOD detection, MNIST test (negatives) vs each distractor kind (positives): AUROC and
//     FPR at 95% TPR for every score column and for the combined ood_score;
//   - label-issue detection: 5% of the training labels flipped at random, the label check
//     (out-of-fold, averaged with the main model's view), AUROC and precision@k (k = flips).
import { DEMO_DISTRACTOR_KINDS, EVAL_ONLY_KINDS, EXTRA_DEV_KINDS } from '../src/main/engine/datasets/index.js';
import { DIGITS, flipFivePercent, qualityLayout, trainAndScore } from './quality-layout.js';
import { outOfFoldLabelIssues } from '../src/main/engine/pipeline/label-check.js';
import { trainModel } from '../src/main/engine/pipeline/train-model.js';
import { PIXELS_PER_IMAGE } from '../src/main/engine/types.js';
import type { ScoreTable } from '../src/main/engine/engine-types.js';
import { auroc, fprAtTpr, precisionAtK } from '../src/main/engine/scores/metrics.js';
import { formatTable } from './machine.js';

const SCORE_COLUMNS = ['msp', 'margin', 'entropy', 'energy', 'knnDistance', 'mcDisagreement', 'oodScore'] as const;

export interface QualityOptions {
  trainSize?: number;
  epochs?: number;
  perKind?: number;
  seed?: number;
  /** Skip the (slow: K extra trainings) label-issue part. */
  skipLabelIssues?: boolean;
}

export interface QualityResult {
  accuracy: number;
  heldOutAccuracy: number;
  ood: Record<string, Record<string, { auroc: number; fpr95: number }>>;
  labelIssue?: { auroc: number; precisionAtK: number; k: number };
  trainSec: number;
}

export async function runQuality(out: (s: string) => void, opts: QualityOptions = {}): Promise<QualityResult> {
  const epochs = opts.epochs ?? 3;
  const perKind = opts.perKind ?? 1000;
  const seed = opts.seed ?? 42;
  const kinds: string[] = [...DEMO_DISTRACTOR_KINDS, 'fashion', ...EXTRA_DEV_KINDS, ...EVAL_ONLY_KINDS];
  const layout = qualityLayout(opts.trainSize ?? 60000, kinds, perKind, seed);
  const { pixels, labels, ids, nTrain, test } = layout;

  out(`Training cold on ${nTrain} MNIST images (90% trained, 10% held out), ${epochs} epochs...\n`);
  const m = await trainAndScore(layout, epochs, seed);
  const { table } = m.result;
  const trainSec = m.trainSec;

  const testStart = nTrain;
  const accuracy = m.testAccuracy;

  const idRows = range(testStart, testStart + test.count);
  const ood: QualityResult['ood'] = {};
  const rows: (string | number)[][] = [['kind', ...SCORE_COLUMNS.flatMap((c) => [`${c} AUROC`, `FPR95`])]];
  const allOod: number[] = [];
  kinds.forEach((kind, k) => {
    const start = testStart + test.count + k * perKind;
    const oodRows = range(start, start + perKind);
    allOod.push(...oodRows);
    ood[kind] = evaluate(table, idRows, oodRows);
  });
  ood.overall = evaluate(table, idRows, allOod);
  for (const kind of [...kinds, 'overall']) {
    rows.push([
      `${kind}${(EVAL_ONLY_KINDS as readonly string[]).includes(kind) ? ' (eval-only)' : ''}`,
      ...SCORE_COLUMNS.flatMap((c) => [ood[kind]![c]!.auroc, ood[kind]![c]!.fpr95]),
    ]);
  }
  out(
    `\nIn-distribution: MNIST test accuracy ${(100 * accuracy).toFixed(2)}% (held-out ${(100 * m.heldOutAccuracy).toFixed(2)}%), training ${trainSec.toFixed(1)} s\n`,
  );
  out(`\nOOD detection: MNIST test (10,000) vs ${perKind} of each kind; AUROC and FPR at 95% TPR (lower is better)\n`);
  out(formatTable(rows));

  const result: QualityResult = { accuracy, heldOutAccuracy: m.heldOutAccuracy, ood, trainSec };
  if (!opts.skipLabelIssues) {
    // 5% of the training labels flipped to a different random class.
    const flips = flipFivePercent(labels.slice(0, nTrain).map(Number), seed);
    const noisy = flips.noisy.map(String);
    const flipped = flips.flipped;
    const nFlip = flipped.reduce((a, b) => a + b, 0);
    out(`\nLabel issues: ${nFlip} of ${nTrain} training labels flipped; main model and out-of-fold check...\n`);
    const t1 = performance.now();
    // As the product judges them: the main model trained on the noisy labels, its view
    // averaged with the fold models' (pipeline/label-check.ts).
    const check = {
      ids: ids.slice(0, nTrain),
      inputs: pixels.subarray(0, nTrain * PIXELS_PER_IMAGE),
      labels: noisy,
      knownClasses: DIGITS,
      epochs,
      seed,
    };
    const main = await trainModel({ ...check, projectDir: null }, () => {});
    const { scores: issue } = await outOfFoldLabelIssues({ ...check, model: main.classifier }, () => {});
    main.classifier.dispose();
    const sec = (performance.now() - t1) / 1000;
    const pos = Array.from(issue).filter((_, i) => flipped[i] === 1);
    const neg = Array.from(issue).filter((_, i) => flipped[i] === 0);
    result.labelIssue = { auroc: auroc(pos, neg), precisionAtK: precisionAtK(issue, flipped, nFlip), k: nFlip };
    out(
      formatTable([
        ['label issue', 'value', 'target'],
        ['AUROC', result.labelIssue.auroc, '>= 0.995'],
        [`precision@${nFlip}`, result.labelIssue.precisionAtK, '>= 0.95'],
        ['check time (s)', sec, ''],
      ]),
    );
  }
  // The target names the demo's kinds and Fashion-MNIST; the extra development kind and the
  // eval-only kinds are reported beside it.
  const oodOf = (kind: string) => {
    const r = ood[kind]?.oodScore;
    if (!r) throw new Error(`bench/quality: no oodScore figures for kind '${kind}'`);
    return r;
  };
  const worst = (of: readonly string[]) => {
    const k = of.reduce((a, b) => (oodOf(b).auroc < oodOf(a).auroc ? b : a));
    return `${oodOf(k).auroc.toFixed(4)} (${k})`;
  };
  out(
    `\nSummary: accuracy ${(100 * accuracy).toFixed(2)}% (target >= ${nTrain >= 60000 ? '99.0' : '98.5'}%), ` +
      `ood_score AUROC overall ${oodOf('overall').auroc.toFixed(4)} (>= 0.995), ` +
      `worst demo kind or fashion ${worst([...DEMO_DISTRACTOR_KINDS, 'fashion'])} (>= 0.99), ` +
      `worst eval-only kind ${worst(EVAL_ONLY_KINDS)}, worst of all ${worst(kinds)}, ` +
      `FPR95 overall ${(100 * oodOf('overall').fpr95).toFixed(2)}% (<= 3%)\n`,
  );
  return result;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

/** Per score column: AUROC (OOD = positive) and the share of OOD samples accepted at 95% TPR of in-distribution. */
function evaluate(
  table: ScoreTable,
  idRows: number[],
  oodRows: number[],
): Record<string, { auroc: number; fpr95: number }> {
  const res: Record<string, { auroc: number; fpr95: number }> = {};
  for (const c of SCORE_COLUMNS) {
    const col = table[c];
    const id = idRows.map((i) => col[i]!); // row indices of the table
    const ood = oodRows.map((i) => col[i]!);
    res[c] = { auroc: auroc(ood, id), fpr95: fprAtTpr(id, ood, 0.95) };
  }
  return res;
}
