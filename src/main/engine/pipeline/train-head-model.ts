// trainModel for feature rows (train-model.ts): a head on an extractor's rows, with the same
// held-out split and the same project checkpoint cache as the CNN, keyed also by the
// extractor (a head means nothing on another network's features).
import { createHash } from 'node:crypto';
import { recoverAllSiblings } from '../project/atomic-dir.js';
import { MODEL_MARKER } from '../project/output-guard.js';
import { isHeadCheckpointDir, loadHeadCheckpoint, saveHeadCheckpoint } from '../model/head-checkpoint.js';
import { HeadClassifier } from '../model/head-model.js';
import { headOptionsFor, trainClassifier } from '../model/train-classifier.js';
import type { TrainOptions, TrainProgress } from '../model/train.js';
import type { ModelInputs } from '../model/inputs.js';
import type { Recipe } from '../../../shared/recipe.js';
import { classIndicesOf } from './holdout.js';
import path from 'node:path';

/** The extractor a head's rows came from: its id keys the head, its recipe is recorded with it. */
export interface RowSource {
  id: string;
  recipe: Recipe;
}

export interface HeadTraining {
  inputs: Extract<ModelInputs, { kind: 'features' }>;
  source: RowSource;
  labels: readonly (string | null)[];
  classes: string[];
  train: Int32Array;
  dataHash: string;
  options: TrainOptions;
  /** Folder of the project's models, or null for no cache. */
  modelsDir: string | null;
}

export function headModelVersion(h: Omit<HeadTraining, 'inputs' | 'labels' | 'train' | 'modelsDir'>): string {
  const key = JSON.stringify({
    dataHash: h.dataHash,
    classes: h.classes,
    head: headOptionsFor(h.options),
    extractor: h.source.id,
    recipe: h.source.recipe,
    // Heads hold out by id hash (holdout.ts stableHoldOut) since this key was extended.
    holdOut: 'stable',
  });
  return `head-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** The project's head for this request, or a freshly trained (and saved) one. */
export async function trainOrLoadHead(
  h: HeadTraining,
  onProgress: (p: TrainProgress) => void,
  signal?: AbortSignal,
): Promise<{ classifier: HeadClassifier; modelVersion: string; cached: boolean }> {
  const modelVersion = headModelVersion(h);
  const dir = h.modelsDir ? path.join(h.modelsDir, modelVersion) : null;
  if (dir && h.modelsDir) {
    await recoverAllSiblings(h.modelsDir, MODEL_MARKER);
    if (await isHeadCheckpointDir(dir)) {
      try {
        const loaded = await loadHeadCheckpoint(dir, h.source.id);
        return { classifier: loaded.model, modelVersion, cached: true };
      } catch {
        // An unreadable checkpoint is retrained over rather than failing the request.
      }
    }
  }
  const y = classIndicesOf(h.train, h.labels, h.classes);
  const classifier = await trainClassifier(
    h.inputs,
    { indices: h.train, labels: y, classes: h.classes },
    h.options,
    onProgress,
    signal,
  );
  if (!(classifier instanceof HeadClassifier)) throw new Error('feature rows trained something other than a head');
  if (dir) {
    try {
      await saveHeadCheckpoint(dir, classifier, {
        backboneId: h.source.id,
        recipe: h.source.recipe,
        options: headOptionsFor(h.options),
        dataHash: h.dataHash,
      });
    } catch (err) {
      classifier.dispose();
      throw new Error(`could not save the trained head in ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }
  return { classifier, modelVersion, cached: false };
}
