// Reruns a round of docs/score-selection/ and prints its table:
//   node --import tsx bench/score-rounds.ts --round N [--train-size 20000,60000] [--epochs 3] [--eval-only]
// Trains cold (as bench/quality.ts does, seed 42), scores with the engine's buildScoreTable,
// then fits every candidate weighting of the round with the engine's fitOodScorer on the
// held-out in-distribution rows only, and applies the round's own criterion to the
// development kinds. The eval-only kinds are printed only with --eval-only, after the choice.
import { parseArgs } from 'node:util';
import { EVAL_ONLY_KINDS } from '../src/main/engine/datasets/index.js';
import { errorMessage } from '../src/shared/api.js';
import { buildBank, type Bank } from './rounds/bank.js';
import { candidate, combinedScore, evaluate, rowsOf, type CandidateResult } from './rounds/evaluate.js';
import { ROUNDS, type Round } from './rounds/rounds.js';
import { printMachine } from './machine.js';

const usage = `Usage: node --import tsx bench/score-rounds.ts --round <${ROUNDS.map((r) => r.id).join('|')}> [options]

  --train-size <n,...>  training sizes (default 20000,60000: the rounds' two sizes)
  --epochs <n>          epochs (default 3)
  --eval-only           also print the eval-only kinds (letters-like, inverted, shifted) for
                        the choice and the round's reference, after the choice is made`;

function parseSizes(v: string | undefined): number[] {
  const sizes = (v ?? '20000,60000').split(',').map((s) => Number(s.trim()));
  for (const s of sizes)
    if (!(Number.isInteger(s) && s >= 100 && s <= 60000))
      throw new Error(`--train-size: '${v}' must be sizes from 100 to 60000, comma-separated`);
  return sizes;
}

const short = (kind: string) => kind.slice(0, 5);

function printTable(
  out: (s: string) => void,
  results: readonly CandidateResult[],
  kinds: readonly string[],
  sizes: number[],
  marks: Map<CandidateResult, string>,
  withSummary: boolean,
): void {
  const header = ['candidate', ...sizes.flatMap((s) => kinds.map((k) => `${short(k)}${s}`))];
  if (withSummary) header.push('worst', 'mean', ...sizes.map((s) => `fpr${s / 1000}k`));
  const rows = results.map((r) => {
    const cells = [r.candidate.name, ...sizes.flatMap((s) => kinds.map((k) => r.auroc[s]![k]!.toFixed(4)))];
    if (withSummary)
      cells.push(r.worst.toFixed(6), r.mean.toFixed(6), ...sizes.map((s) => `${(100 * r.fpr95[s]!).toFixed(2)}%`));
    return [...cells, marks.get(r) ?? (r.candidate.outsideChoice ? '(not eligible)' : '')];
  });
  const all = [[...header, ''], ...rows];
  const widths = all[0]!.map((_, j) => Math.max(...all.map((r) => r[j]!.length)));
  for (const r of all)
    out(`${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')}\n`);
}

/** The engine's own oodScore must come out of the default weighting: the bench then scores what the product scores. */
function engineCheck(bank: Bank, out: (s: string) => void): void {
  const def = candidate({ knnExcess: 1, mahalanobis: 1, energy: 0.5 });
  const s = combinedScore(bank, def, bank.testRows, rowsOf(bank, []));
  let worst = 0;
  bank.testRows.forEach((r, j) => (worst = Math.max(worst, Math.abs(s[j]! - bank.oodScore[r]!))));
  out(`  check: the default weighting gives the score table's oodScore to ${worst.toExponential(1)}\n`);
  if (worst > 1e-5) throw new Error(`score-rounds: the bench's default score differs from the table's by ${worst}`);
}

async function runRound(round: Round, sizes: number[], epochs: number, evalOnly: boolean): Promise<void> {
  const out = (s: string) => process.stdout.write(s);
  printMachine(out);
  out(`== round ${round.id} (docs/score-selection/${round.file}): ${round.title}\n`);
  out(`development kinds: ${round.devKinds.join(', ')}; negatives: the 10,000 MNIST test digits\n\n`);
  const banks: Bank[] = [];
  for (const size of sizes) {
    const bank = await buildBank(size, epochs, out);
    engineCheck(bank, out);
    banks.push(bank);
  }
  if (sizes.join(',') !== '20000,60000')
    out("NOTE: the round chose over 20000 and 60000 together; with other sizes the choice below is not the round's\n");
  const results = round.candidates.map((c) => evaluate(banks, c, round.devKinds, []));
  out(`\nDevelopment AUROC per (kind, size), the worst and mean of them, FPR@95TPR (dev kinds pooled):\n`);
  const marks = new Map<CandidateResult, string>();
  const decision: string[] = [];
  const chosen = round.decide(results, (s) => decision.push(s));
  for (const r of results) if (r.candidate.name === round.recorded) marks.set(r, '(recorded choice)');
  marks.set(chosen, chosen.candidate.name === round.recorded ? '<- chosen (as recorded)' : '<- chosen');
  printTable(out, results, round.devKinds, sizes, marks, true);
  out(`\nDecision (docs/score-selection/${round.file}: ${round.criterion}):\n`);
  for (const line of decision) out(`  ${line}`);
  out(`\nNot rerun by this script:\n${round.notCovered.map((l) => `  ${l}\n`).join('')}`);
  if (evalOnly) {
    const others = [round.recorded, round.reference].filter(
      (n, i, a) => n !== chosen.candidate.name && a.indexOf(n) === i,
    );
    const shown = [chosen.candidate, ...round.candidates.filter((c) => others.includes(c.name))];
    const evalResults = shown.map((c) => evaluate(banks, c, [], EVAL_ONLY_KINDS));
    out('\nEval-only kinds, computed after the choice (the round chose blind to them):\n');
    printTable(out, evalResults, EVAL_ONLY_KINDS, sizes, new Map([[evalResults[0]!, '<- chosen']]), false);
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        round: { type: 'string' },
        'train-size': { type: 'string' },
        epochs: { type: 'string' },
        'eval-only': { type: 'boolean' },
      },
      strict: true,
    });
    const round = ROUNDS.find((r) => r.id === values.round);
    if (!round)
      throw new Error(`--round: expected one of ${ROUNDS.map((r) => r.id).join(', ')}, got '${values.round ?? ''}'`);
    const epochs = Number(values.epochs ?? 3);
    if (!(Number.isInteger(epochs) && epochs >= 1 && epochs <= 50))
      throw new Error(`--epochs: '${values.epochs}' is not a whole number from 1 to 50`);
    await runRound(round, parseSizes(values['train-size']), epochs, values['eval-only'] === true);
    return 0;
  } catch (err) {
    process.stderr.write(`score-rounds: ${errorMessage(err)}\n\n${usage}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
