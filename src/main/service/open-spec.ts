// What an openDataset call asks for, checked before anything is made: the datasets (the
// project's identity) and how they are scored (a model family, the user's model, the user's
// predictions, another backbone). Conflicting or missing parts are refused by name.
import { stat } from 'node:fs/promises';
import { ApiError, type DatasetSpec } from '../../shared/api.js';
import { isBackboneUrl } from '../../shared/backbone-spec.js';
import type { ProjectSpec } from './project-state.js';
import { detectDataset } from '../engine/datasets/detect-kind.js';
import { assertPoolIsNotTrain } from '../engine/datasets/pool-not-train.js';

export function openSpecOf(params: DatasetSpec & { demo?: boolean }): ProjectSpec {
  const demo = params.demo ?? (!params.train && !params.pool);
  if (demo) return { demo: true };
  const { train, pool, model, predProbs, features, backbone, backboneSha256 } = params;
  const refuse = (why: string) => {
    throw new ApiError('bad_request', why);
  };
  if (!train) refuse('a labeled training dataset (train) is needed to train a model');
  if (model && predProbs) refuse('predictions and a model are two sources: give one');
  if (features && !predProbs) refuse('features are read with predProbs, which is missing');
  if (predProbs && pool) refuse("predictions score the training dataset's own files: give no pool");
  if (backbone && (model || predProbs || params.arch === 'cnn'))
    refuse('a backbone is for the backbone family: give no model, predictions or cnn with it');
  if (backboneSha256 && !backbone) refuse('backboneSha256 checks a backbone, which is missing');
  // 'auto' is the default, so it is not recorded: a project opened either way is the same. A
  // user's model or predictions replace both families.
  const arch = backbone ? 'backbone' : params.arch === 'auto' || model || predProbs ? undefined : params.arch;
  const given = { arch, model, predProbs, features, backbone, backboneSha256 };
  return {
    train,
    pool,
    demo: false,
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
  };
}

/** Before the project folder is made: a mistyped path must not leave one behind per try. */
export async function assertPathsExist(spec: ProjectSpec): Promise<void> {
  const paths = {
    train: spec.train,
    pool: spec.pool,
    model: spec.model,
    predictions: spec.predProbs,
    features: spec.features,
    backbone: spec.backbone && !isBackboneUrl(spec.backbone) ? spec.backbone : undefined,
  };
  for (const [what, where] of Object.entries(paths)) {
    if (
      where !== undefined &&
      !(await stat(where).then(
        () => true,
        () => false,
      ))
    )
      throw new ApiError('bad_request', `${what}: ${where} does not exist`);
  }
  // What the open job would find first, found now, while the dialog is still open to fix it.
  const datasets = async () => {
    for (const where of [spec.train, spec.pool]) if (where !== undefined) await detectDataset(where);
    await assertPoolIsNotTrain(spec.train, spec.pool);
  };
  await datasets().catch((err: Error) => {
    throw new ApiError('bad_request', err.message);
  });
}
