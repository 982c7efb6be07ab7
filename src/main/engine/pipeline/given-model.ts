// Rows computed before scoring (a user's model run once per image, imported predictions) as
// the engine's current model: a pass-through classifier over [features | logits] rows, judged
// on the usual held-out split, and the rows a retrain's head learns from.
import { GivenRowsClassifier, givenRows } from '../model/given-rows.js';
import type { ModelInputs } from '../model/inputs.js';
import { judgedModel, type CurrentModel } from './current-model.js';
import type { RowSource } from './train-head-model.js';

export interface GivenModelRows extends RowSource {
  classes: string[];
  /** n * classes.length logits (log p for probabilities). */
  logits: Float32Array;
  /** n * dim features, or null when none were given. */
  features: Float32Array | null;
  dim: number;
}

export async function adoptGivenRows(
  g: GivenModelRows,
  labels: readonly (string | null)[],
  openSeed: number | undefined,
  outOfSample: boolean,
): Promise<{ model: CurrentModel; retrainInputs: ModelInputs }> {
  const C = g.classes.length;
  const classifier = new GivenRowsClassifier(g.classes, g.features ? g.dim : 0);
  const inputs = givenRows(g.logits, g.features, g.dim, C);
  const model = await judgedModel(
    classifier,
    inputs,
    labels,
    openSeed,
    `user-${g.id.replace(/^user-/, '').slice(0, 24)}`,
  );
  return {
    model: { ...model, inputs, outOfSample },
    // A retrain after decisions trains a head on the features (the logits stand in without).
    retrainInputs: g.features
      ? { kind: 'features', dim: g.dim, data: g.features }
      : { kind: 'features', dim: C, data: g.logits },
  };
}
