// The standing bad-input corpus of issue 8: builds every case's files in a temp folder,
// after training the two small models the cases share with `unsure train` itself.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_CASES, PHOTO_CLI_CASES } from './cases-images.js';
import { MANIFEST_CASES } from './cases-manifest.js';
import { MODEL_CASES } from './cases-models.js';
import { OUTPUT_CASES } from './cases-output.js';
import { PREDICTION_CASES } from './cases-predictions.js';
import { REQUEST_CASES } from './cases-requests.js';
import type { CaseDef, CorpusCase, SharedInputs } from './corpus-types.js';
import { digitFolder } from './datasets.js';
import { digitPng, put } from './images.js';

export type { CorpusCase, Expectation, SharedInputs } from './corpus-types.js';

export const CASE_DEFS: CaseDef[] = [
  ...OUTPUT_CASES,
  ...IMAGE_CASES,
  ...PHOTO_CLI_CASES,
  ...MANIFEST_CASES,
  ...REQUEST_CASES,
  ...PREDICTION_CASES,
  ...MODEL_CASES,
];

/** Runs `unsure <argv>` and gives its exit code and stderr. */
export type RunCli = (argv: string[]) => Promise<{ code: number | null; stderr: string }>;

/** Trains the shared models (0,1,2 and 0..9, one epoch each) and makes the outside image. */
export async function makeSharedInputs(root: string, run: RunCli): Promise<SharedInputs> {
  const dir = join(root, 'shared');
  const shared: SharedInputs = {
    root,
    model3: join(dir, 'model3'),
    model10: join(dir, 'model10'),
    outsideImage: put(join(dir, 'outside', 'outside.png'), digitPng(4, 70)),
  };
  for (const [classes, out] of [
    [[0, 1, 2], shared.model3],
    [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], shared.model10],
  ] as const) {
    const data = digitFolder(join(dir, `train-${classes.length}`), [...classes]);
    const r = await run(['train', '--train', data, '--out', out, '--epochs', '1']);
    if (r.code !== 0) throw new Error(`corpus setup: unsure train of ${data} failed (exit ${r.code}):\n${r.stderr}`);
  }
  return shared;
}

/** Builds every case under `root/cases/<name>/`. Names are unique; each case owns its folder. */
export async function buildCorpus(root: string, shared: SharedInputs): Promise<CorpusCase[]> {
  const names = new Set<string>();
  const cases: CorpusCase[] = [];
  for (const def of CASE_DEFS) {
    if (names.has(def.name)) throw new Error(`corpus: two cases named ${def.name}`);
    names.add(def.name);
    const dir = join(root, 'cases', def.name);
    // Every case has an out/ folder, so no refusal passes for want of one.
    mkdirSync(join(dir, 'out'), { recursive: true });
    cases.push({ name: def.name, issue: def.issue, dir, ...(await def.build({ dir, shared })) });
  }
  return cases;
}
