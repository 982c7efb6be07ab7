// The two engine steps every job shares: train then score, and finishing a first pass.
import type { EngineClient } from '../engine/engine-client.js';
import type { EngineProgress, ScoreTable, TrainResult, UsedModel } from '../engine/engine-types.js';
import { readScorePredictions } from '../engine/pipeline/score-predictions.js';
import type { JobContext } from './jobs.js';
import { trainingLabelsOf, type OpenProject, type ProjectState } from './project-state.js';

export interface Scoring {
  state: ProjectState;
  engine: EngineClient;
  seed?: number;
}

/**
 * Trains (or reuses the cached model) on the journal's labels, then scores everything.
 * `opening`: the first ranking of a freshly opened dataset, where the demo may use its
 * shipped model and the pool is ranked before the training samples are scored (the
 * background task completes them).
 */
export async function trainAndScore(
  { state, engine, seed }: Scoring,
  p: OpenProject,
  ctx: JobContext,
  epochs?: number,
  opening = false,
): Promise<{ train: TrainResult; table: ScoreTable }> {
  const labels = trainingLabelsOf(p);
  state.setStatus('training');
  if (opening && (p.spec.model || p.spec.predProbs)) {
    // The user's model or predictions score as they are; retrains then train heads on their features.
    const used = p.spec.model
      ? await engine.useModel(p.spec.model, labels, ctx.progress)
      : await usePredictions(engine, p, labels);
    p.used = used;
    state.setStatus('scoring');
    const table = await engine.score(ctx.progress, { firstPass: true });
    const { classes, heldOutAccuracy } = used;
    return {
      train: { modelVersion: table.modelVersion, classes, heldOutAccuracy, cached: false, source: 'user' },
      table,
    };
  }
  const train = await engine.train(
    { labels, epochs, seed, useShipped: opening && p.spec.demo },
    ctx.progress,
    ctx.signal,
  );
  state.setStatus('scoring');
  const table = await engine.score(ctx.progress, { firstPass: opening });
  return { train, table };
}

/** Scores the rows a first pass left pending (a no-op on a complete table). */
export async function completeScores(
  { state, engine }: Scoring,
  p: OpenProject,
  onProgress: (p: EngineProgress) => void = () => {},
): Promise<void> {
  if (!p.table?.scored) return;
  // Quietly by default: the queue on screen is already usable, and a progress bar for a few
  // seconds of background work would only distract.
  const table = await engine.score(onProgress);
  if (state.project !== p) return;
  state.setTable(p, table);
}

async function usePredictions(engine: EngineClient, p: OpenProject, labels: (string | null)[]): Promise<UsedModel> {
  const { predProbs, features, train } = p.spec;
  const { pred, rows } = await readScorePredictions({ predProbs: predProbs!, features }, train!, p.data, {});
  const used = await engine.usePredictions(rows, labels);
  return { ...used, notes: [...rows.notes, `classes from ${pred.classSource}`], recipe: p.data.recipe };
}
