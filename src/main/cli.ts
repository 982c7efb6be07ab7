// `unsure <command>`: the engine without a window.
import { runServe, serveUsage } from './commands/serve.js';
import { errorMessage } from '../shared/api.js';

const HELP = `Unsure: review the samples a classifier should doubt, relabel them, retrain, export.

Usage: unsure <command> [options]

Commands:
  export    write the corrected dataset: the decisions made in the app applied, original files
  manifest  print a dataset's files (path,label) in the order Unsure uses, for predictions made elsewhere
  serve     run the app in browser mode on 127.0.0.1 (prints the URL to open)
  score     train (or reuse a cached model) and write every sample's doubt scores to CSV
  train     train a model on a labeled dataset and save it with its provenance

Run \`unsure <command> --help\` for a command's options.

Datasets: a folder with one subfolder per class, a folder of unlabeled images, a CSV
manifest (path,label), or a folder with MNIST IDX files. A class named "other" is the
"not any known class" class. With no dataset, the built-in demo "digits in the wild" is used.
`;

type Command = (argv: string[]) => Promise<number>;

// Commands are imported lazily so `unsure --help` does not load TensorFlow.
const commands: Record<string, () => Promise<{ run: Command; usage: string }>> = {
  export: async () => {
    const m = await import('./commands/export.js');
    return { run: m.runExport, usage: m.exportUsage };
  },
  manifest: async () => {
    const m = await import('./commands/manifest.js');
    return { run: m.runManifest, usage: m.manifestUsage };
  },
  serve: async () => ({ run: runServe, usage: serveUsage }),
  score: async () => {
    const m = await import('./commands/score.js');
    return { run: m.runScore, usage: m.scoreUsage };
  },
  train: async () => {
    const m = await import('./commands/train.js');
    return { run: m.runTrain, usage: m.trainUsage };
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`unsure: unknown command '${name}'. Run 'unsure --help'.\n`);
    return 2;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${cmd.usage}\n`);
    return 0;
  }
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`unsure: ${errorMessage(err)}\n`);
    process.exitCode = 1;
  },
);
