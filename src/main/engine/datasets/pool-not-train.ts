// A pool that is the training set itself has nothing of its own to review: every file would
// be a copy of a training sample. Reviewing the training set's labels is the no-pool open.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError } from '../types.js';

export async function assertPoolIsNotTrain(train: string | undefined, pool: string | undefined): Promise<void> {
  if (!train || !pool) return;
  // A path that cannot be resolved is compared as spelled: its own error comes when it is read.
  const real = (p: string) => realpath(p).catch(() => path.resolve(p));
  if ((await real(train)) !== (await real(pool))) return;
  throw new DatasetError(
    `The pool ${pool} is the training set itself: give no pool to review the training set's labels, ` +
      'or give a dataset of other images to review',
  );
}
