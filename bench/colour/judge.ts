// The colour benchmark's judge: reads a score CSV of either side (Unsure's `--out`, or the
// Keras peer's) by path and the truth of bench/colour/build.ts, and computes the issue's
// figures. Rows are matched by file name (every built file name is unique in its set).
// Also a script: node --import tsx bench/colour/judge.ts <truth.json> [--pool f] [--labels f] [--loop f]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OTHER_LABEL } from '../../src/shared/read-models.js';
import { parseCsv } from '../../src/main/engine/datasets/csv.js';
import { auroc, fprAtTpr, precisionAtK } from '../../src/main/engine/scores/metrics.js';
import type { Truth } from './truth.js';

export interface ScoreRow {
  file: string;
  split: string;
  predicted: string;
  oodScore: number;
  labelIssue: number;
}

/** The rows of a score CSV: path, predicted, ood_score, label_issue (and split where given). */
export async function readScoreCsv(csvPath: string): Promise<ScoreRow[]> {
  const text = await readFile(csvPath, 'utf8').catch((err: Error) => {
    throw new Error(`${csvPath}: cannot read the score CSV (${err.message})`);
  });
  const records = parseCsv(text);
  const header = records[0]?.fields ?? [];
  const col = (name: string, required = true) => {
    const j = header.indexOf(name);
    if (j < 0 && required) throw new Error(`${csvPath}: no '${name}' column (header: ${header.join(',')})`);
    return j;
  };
  const [p, pr, ood, li, sp] = [
    col('path'),
    col('predicted'),
    col('ood_score'),
    col('label_issue'),
    col('split', false),
  ];
  return records.slice(1).map((r) => {
    const num = (j: number, what: string) => {
      const v = r.fields[j] ?? '';
      const x = v === '' ? Number.NaN : Number(v);
      if (v !== '' && !Number.isFinite(x)) throw new Error(`${csvPath}:${r.line}: ${what} '${v}' is not a number`);
      return x;
    };
    return {
      file: path.basename(r.fields[p] ?? ''),
      split: sp >= 0 ? (r.fields[sp] ?? '') : '',
      predicted: r.fields[pr] ?? '',
      oodScore: num(ood, 'ood_score'),
      labelIssue: num(li, 'label_issue'),
    };
  });
}

function byFile(rows: readonly ScoreRow[], split: string, csvName: string): Map<string, ScoreRow> {
  const m = new Map<string, ScoreRow>();
  for (const r of rows) {
    if (r.split !== '' && r.split !== split) continue;
    if (m.has(r.file)) throw new Error(`${csvName}: file ${r.file} has two ${split} rows`);
    m.set(r.file, r);
  }
  return m;
}

function scores(rows: readonly ScoreRow[], csvName: string): number[] {
  return rows.map((r) => {
    if (Number.isNaN(r.oodScore)) throw new Error(`${csvName}: ${r.file} has no ood_score`);
    return r.oodScore;
  });
}

export interface PoolFigures {
  rows: number;
  missing: number;
  known: number;
  accuracy: number;
  auroc: number;
  fpr95: number;
  perKind: Record<string, { n: number; auroc: number }>;
}

/** Accuracy on the known-class photos; ood_score AUROC / FPR@95%TPR of the distractors against them. */
export function judgePool(rows: readonly ScoreRow[], pool: Truth['pool'], csvName = 'pool CSV'): PoolFigures {
  const m = byFile(rows, 'pool', csvName);
  const known: ScoreRow[] = [];
  const kinds = new Map<string, ScoreRow[]>();
  let missing = 0;
  let right = 0;
  for (const [file, t] of Object.entries(pool)) {
    const r = m.get(file);
    if (!r) {
      missing++;
      continue;
    }
    if (t.kind === 'known') {
      known.push(r);
      if (r.predicted === t.cls) right++;
    } else kinds.set(t.kind, [...(kinds.get(t.kind) ?? []), r]);
  }
  if (known.length === 0 || kinds.size === 0) throw new Error(`${csvName}: no known-class or no distractor rows`);
  const inDist = scores(known, csvName);
  const outDist = [...kinds.values()].flatMap((rs) => scores(rs, csvName));
  const perKind: PoolFigures['perKind'] = {};
  for (const [k, rs] of kinds) perKind[k] = { n: rs.length, auroc: auroc(scores(rs, csvName), inDist) };
  return {
    rows: known.length + outDist.length,
    missing,
    known: known.length,
    accuracy: right / known.length,
    auroc: auroc(outDist, inDist),
    fpr95: fprAtTpr(inDist, outDist, 0.95),
    perKind,
  };
}

export interface LabelFigures {
  rows: number;
  flipped: number;
  auroc: number;
  precisionAtK: number;
}

/** label_issue of the label set's rows: AUROC of flipped against kept, precision@k with k = flips. */
export function judgeLabels(rows: readonly ScoreRow[], truth: Truth, csvName = 'labels CSV'): LabelFigures {
  const m = byFile(rows, 'train', csvName);
  const pos: number[] = [];
  const neg: number[] = [];
  for (const [file, r] of m) {
    if (!/^l\d+\.jpg$/.test(file)) continue;
    if (Number.isNaN(r.labelIssue)) throw new Error(`${csvName}: ${file} has no label_issue`);
    (truth.flipped[file] ? pos : neg).push(r.labelIssue);
  }
  if (pos.length === 0 || neg.length === 0) throw new Error(`${csvName}: no flipped or no kept label-set rows`);
  const all = [...pos, ...neg];
  const isPos = all.map((_, i) => i < pos.length);
  return {
    rows: all.length,
    flipped: pos.length,
    auroc: auroc(pos, neg),
    precisionAtK: precisionAtK(all, isPos, pos.length),
  };
}

export interface LoopFigures {
  heldOut: number;
  heldOutOther: number;
  knownOther: number;
  auroc: number;
}

/** After the loop: share of held-out distractors and of known photos predicted 'other'; ood_score AUROC. */
export function judgeLoop(rows: readonly ScoreRow[], truth: Truth, csvName = 'loop CSV'): LoopFigures {
  const m = byFile(rows, 'pool', csvName);
  const marked = new Set(truth.loopOther);
  const known: ScoreRow[] = [];
  const held: ScoreRow[] = [];
  for (const [file, t] of Object.entries(truth.pool)) {
    const r = m.get(file);
    if (!r || marked.has(file)) continue;
    (t.kind === 'known' ? known : held).push(r);
  }
  if (known.length === 0 || held.length === 0)
    throw new Error(`${csvName}: no known-class or no held-out distractor rows`);
  const other = (rs: ScoreRow[]) => rs.filter((r) => r.predicted === OTHER_LABEL).length / rs.length;
  return {
    heldOut: held.length,
    heldOutOther: other(held),
    knownOther: other(known),
    auroc: auroc(scores(held, csvName), scores(known, csvName)),
  };
}

async function main(argv: string[]): Promise<void> {
  const [truthPath, ...rest] = argv;
  if (!truthPath) throw new Error('usage: judge.ts <truth.json> [--pool f.csv] [--labels f.csv] [--loop f.csv]');
  const truth = JSON.parse(await readFile(truthPath, 'utf8')) as Truth;
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, file] = [rest[i]!, rest[i + 1]];
    if (!file) throw new Error(`${flag}: needs a CSV path`);
    const rows = await readScoreCsv(file);
    const fig =
      flag === '--pool'
        ? judgePool(rows, truth.pool, file)
        : flag === '--labels'
          ? judgeLabels(rows, truth, file)
          : flag === '--loop'
            ? judgeLoop(rows, truth, file)
            : null;
    if (!fig) throw new Error(`unknown option ${flag}: expected --pool, --labels or --loop`);
    process.stdout.write(`${flag.slice(2)} ${file}\n${JSON.stringify(fig, null, 2)}\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main(process.argv.slice(2));
