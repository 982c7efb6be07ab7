// What one case of the bad-input corpus is: the files it makes, the CLI argv it runs, and
// what must come out (exit code, a message naming the file and the problem, a report of
// skipped files, the dataset's bytes unchanged, nothing left behind).

/**
 * 0: the run goes on (bad files skipped and named); 2: a usage error; 'refused': 1 or 2,
 * the request is refused before any work; 'skip-or-refuse': either is a fair reading of
 * the issue, as long as the message names the file and the problem and nothing changes.
 */
export type ExpectedCode = 0 | 2 | 'refused' | 'skip-or-refuse';

export interface Expectation {
  code: ExpectedCode;
  /** Strings stderr must contain: the file (or flag, or folder) in question. */
  named: string[];
  /** What stderr must say about the problem. */
  problem: RegExp[];
  /** What stderr must not say (the unclear messages of the issue, stack traces). */
  stderrNot?: RegExp[];
  /** On exit 0, a report of skipped files (a new file named like *skip*) beside the output lists `named`. */
  report?: boolean;
  /** What the report must list, when more than `named` (stderr names only the first ten). */
  reportNames?: string[];
  /** Paths relative to the case folder the run may create or replace (its outputs), only on exit 0. */
  outputs?: string[];
  /** Paths relative to the case folder that must exist after an exit 0. */
  mustExist?: string[];
  /** Peak resident memory allowed (spawned cases only). */
  maxRssBytes?: number;
}

export interface CorpusCase {
  name: string;
  /** The item of issue 8 it stands for ('1'..'10'), or 'own'. */
  issue: string;
  /** The case's own folder: every file the case makes lives here (datasets in data/, pool/, outputs in out/). */
  dir: string;
  /** Arguments after `unsure`: `score ...` or `train ...`. */
  argv: string[];
  expect: Expectation;
  /** Run in a child process (memory measured, hangs killed) instead of in this process. */
  spawn?: boolean;
  /** Why the case cannot run here (then it is reported as skipped, not passed). */
  skip?: string;
}

/** Made once for the whole corpus and shared by its cases (read-only to them). */
export interface SharedInputs {
  root: string;
  /** Models trained by `unsure train` in the setup: classes 0,1,2 and 0..9. */
  model3: string;
  model10: string;
  /** A valid PNG outside every case folder, for links that leave the dataset. */
  outsideImage: string;
}

export interface CaseContext {
  dir: string;
  shared: SharedInputs;
}

export interface CaseDef {
  name: string;
  issue: string;
  build: (ctx: CaseContext) => Promise<Omit<CorpusCase, 'name' | 'issue' | 'dir'>>;
}

export const ONE_AND_A_HALF_GB = 1.5 * 1024 ** 3;
