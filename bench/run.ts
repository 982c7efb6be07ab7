// `npm run bench -- [quality|speed|job|ui|all]`: runs the benchmarks in this folder and prints
// tables with the machine they ran on. Always cold: nothing is read from a project cache. A
// script of its own, not an `unsure` command: the product never imports bench/.
import { parseArgs } from 'node:util';
import { UsageError, parseIntArg, withExitCode } from '../src/main/commands/cli-common.js';
import { printMachine } from './machine.js';

const usage = `Usage: npm run bench -- [quality|speed|other|labels|job|cores|memory|colour|colour-memory|colour-retrain|ui|all] [options]

  quality   MNIST test accuracy; OOD AUROC / FPR@95%TPR of every score vs each distractor
            kind (missegmented, scribble, noise, fashion, and the eval-only kinds);
            label-issue AUROC and precision@k with 5% of the training labels flipped
  speed     one training epoch on 60,000 MNIST images, predict+embed images/s,
            the 10k x 60k exact kNN, peak memory
  other     the "other" loop: 200 distractors marked 'other', retrained; the share of the
            rest (and of MNIST test digits) predicted 'other' (20,000 training images unless
            --train-size says otherwise)
  labels    label issues at 5k, 10k and 20k images (--sizes to change), 5% flipped: \`unsure
            score\` against the Keras peer's in-sample self-confidence (KERAS_PYTHON)
  job       the whole \`unsure score\` job (20,000-image IDX training set, 3 epochs,
            3,000-image pool), start to exit
  cores     issue 10's timed job (20,000 PNGs in class folders, a 3,300-PNG pool, 3 epochs,
            cold) beside the Keras peer keras_pipeline.py (KERAS_PYTHON): median wall times of
            --runs alternating pairs (default 3), their ratio, cores busy, Unsure's stages
  memory    peak RSS and wall time of \`unsure score\` (60,000-image IDX training set,
            3 epochs) with pools of 10k, 100k and 500k images: bytes per pool sample
            (not part of 'all': the 500k run takes minutes and about 2 GB)
  colour    CIFAR-10 (8 known classes, 2 held out): accuracy; ood_score AUROC / FPR@95%TPR
            per distractor kind; label issues with 8% flipped; the 'other' loop; the whole
            job's wall time, each beside the Keras peer keras_colour_ref.py (KERAS_PYTHON),
            and the targets of issue 11 met or not (--small, --runs, --holdout)
  colour-memory
            peak RSS and wall time of \`unsure score\` on --n (default 100,000) generated
            224 x 224 colour JPEGs, first and second open (not part of 'all')
  colour-retrain
            the engine on colour's training set and pool (10,750 photos): the first training,
            then three retrains after decisions ('other' and labels), each train + score timed
            (--small, --holdout, --seed as for colour)
  ui        the review UI in Chromium on a 101,000-sample project (\`unsure serve\`): key press to
            the next sample painted, and frame times while the grid scrolls
            (not part of 'all': it needs Debian's chromium and takes minutes)
  all       quality, speed, other, job and colour (default: quality and speed)
  (rounds of docs/score-selection/: node --import tsx bench/score-rounds.ts --round N, a script of its own)

Options:
  --train-size <n>   training images for quality (default 60000)
  --epochs <n>       epochs for quality and memory (default 3)
  --sizes <a,b,..>   sizes for labels (default 5000,10000,20000)
  --no-label-check   quality without the label-issue part (saves K extra trainings)
  --pools <n,n,...>  pool sizes for memory (default 10000,100000,500000)
  --small            colour at 200 training photos per class (all its counts scaled by 0.2)
  --runs <n>         colour, cores: alternating cold pairs of the main job, median wall time
                     (default 1 for colour, 3 for cores)
  --no-peer          colour, other: Unsure's side only
  --holdout <a,b>    colour: the CIFAR-10 classes held out of training (default deer,truck)
  --seed <n>         colour, colour-memory: the seed of the generated data (default 42)
  --n <n>            colour-memory: images (default 100000)`;

async function runBench(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  return withExitCode('bench', async () => {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          'train-size': { type: 'string' },
          epochs: { type: 'string' },
          'no-label-check': { type: 'boolean' },
          sizes: { type: 'string' },
          pools: { type: 'string' },
          small: { type: 'boolean' },
          'no-peer': { type: 'boolean' },
          runs: { type: 'string' },
          holdout: { type: 'string' },
          seed: { type: 'string' },
          n: { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const which = parsed.positionals[0] ?? 'default';
    if (
      parsed.positionals.length > 1 ||
      ![
        'quality',
        'speed',
        'other',
        'labels',
        'job',
        'cores',
        'memory',
        'colour',
        'colour-memory',
        'colour-retrain',
        'ui',
        'all',
        'default',
      ].includes(which)
    ) {
      throw new UsageError(
        `unknown benchmark '${parsed.positionals.join(' ')}': expected quality, speed, other, labels, job, cores, memory, colour, colour-memory, colour-retrain, ui or all`,
      );
    }
    const trainSize = parseIntArg('train-size', parsed.values['train-size'], 100, 60000);
    const epochs = parseIntArg('epochs', parsed.values.epochs, 1, 50);
    const out = (s: string) => process.stdout.write(s);
    printMachine(out);
    if (which === 'quality' || which === 'all' || which === 'default') {
      out('== quality\n');
      const { runQuality } = await import('./quality.js');
      await runQuality(out, { trainSize, epochs, skipLabelIssues: parsed.values['no-label-check'] === true });
      out('\n');
    }
    if (which === 'speed' || which === 'all' || which === 'default') {
      out('== speed\n');
      const { runSpeed } = await import('./speed.js');
      await runSpeed(out);
      out('\n');
    }
    if (which === 'other' || which === 'all') {
      out('== other\n');
      const { runOtherClass } = await import('./other-class.js');
      await runOtherClass(out, {
        trainSize: trainSize ?? 20000,
        epochs: epochs ?? 3,
        noPeer: parsed.values['no-peer'] === true,
      });
      out('\n');
    }
    if (which === 'labels' || which === 'all') {
      out('== labels\n');
      const { runLabelSizes, DEFAULT_LABEL_SIZES } = await import('./label-sizes.js');
      const sizes = parsed.values.sizes?.split(',').map((v) => parseIntArg('sizes', v, 100, 60000) ?? 0);
      await runLabelSizes(out, sizes ?? DEFAULT_LABEL_SIZES);
      out('\n');
    }
    if (which === 'job' || which === 'all') {
      out('== job\n');
      const { runScoreJob } = await import('./score-job.js');
      await runScoreJob(out);
    }
    if (which === 'cores') {
      out('== cores\n');
      const { runCoresJob } = await import('./cores-job.js');
      await runCoresJob(out, parseIntArg('runs', parsed.values.runs, 1, 9) ?? 3);
    }
    if (which === 'colour' || which === 'all') {
      out('== colour\n');
      const { runColour, DEFAULT_HOLDOUT } = await import('./colour/colour.js');
      await runColour(out, {
        holdout: parsed.values.holdout?.split(',').map((c) => c.trim()) ?? DEFAULT_HOLDOUT,
        perClass: parsed.values.small ? 200 : 1000,
        runs: parseIntArg('runs', parsed.values.runs, 1, 9) ?? 1,
        seed: parseIntArg('seed', parsed.values.seed, 0, 2 ** 31 - 1) ?? 42,
        noPeer: parsed.values['no-peer'] === true,
      });
      out('\n');
    }
    if (which === 'colour-memory') {
      out('== colour-memory\n');
      const { runColourMemory } = await import('./colour/memory.js');
      await runColourMemory(out, {
        n: parseIntArg('n', parsed.values.n, 100, 1_000_000) ?? 100_000,
        seed: parseIntArg('seed', parsed.values.seed, 0, 2 ** 31 - 1) ?? 42,
      });
    }
    if (which === 'colour-retrain') {
      out('== colour-retrain\n');
      const { runColourRetrain } = await import('./colour/retrain.js');
      const { DEFAULT_HOLDOUT } = await import('./colour/colour.js');
      await runColourRetrain(out, {
        holdout: parsed.values.holdout?.split(',').map((c) => c.trim()) ?? DEFAULT_HOLDOUT,
        perClass: parsed.values.small ? 200 : 1000,
        seed: parseIntArg('seed', parsed.values.seed, 0, 2 ** 31 - 1) ?? 42,
      });
    }
    if (which === 'memory') {
      out('== memory\n');
      const { runScoreMemory } = await import('./score-memory.js');
      await runScoreMemory(out, { epochs, pools: parsePools(parsed.values.pools) });
    }
    if (which === 'ui') {
      out('== ui\n');
      const { runUiResponsiveness } = await import('./ui-responsiveness.js');
      await runUiResponsiveness(out);
    }
  });
}

function parsePools(raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  return raw.split(',').map((p) => parseIntArg('pools', p.trim(), 1, 5_000_000)!);
}

process.exitCode = await runBench(process.argv.slice(2));
