// What the judge knows about the built datasets (bench/colour/build.ts writes it as truth.json).
export interface Truth {
  holdout: string[];
  known: string[];
  perClass: number;
  seed: number;
  /** Pool file name -> its kind ('known' or a distractor kind) and true class (null for synthetic kinds). */
  pool: Record<string, { kind: string; cls: string | null }>;
  /** Label-set file name -> its true class and the label it was given in labels/. */
  flipped: Record<string, { truth: string; given: string }>;
  labelCount: number;
  /** Pool files copied into loop-train/other/ (and left out of loop-pool/). */
  loopOther: string[];
}
