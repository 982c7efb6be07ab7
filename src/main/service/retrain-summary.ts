// What a retrain changed, for the summary the app shows after it.
import { OTHER_BY_DISTANCE, OTHER_LABEL, type RetrainSummary } from '../../shared/api.js';
import type { ScoreTable, TrainResult } from '../engine/engine-types.js';
import { itemAt } from '../../shared/checked-index.js';
import { foldProject, type OpenProject } from './project-state.js';

export function retrainSummary(
  beforeTable: ScoreTable | null,
  beforeTrain: TrainResult | null,
  table: ScoreTable,
  train: TrainResult,
  p: OpenProject,
): RetrainSummary {
  const flagged = (t: ScoreTable | null, i: number) => (t ? itemAt(t.flags, i, 'flags') !== 0 : false);
  let queueBefore = 0;
  let queueAfter = 0;
  let left = 0;
  let predictedOther = 0;
  let otherByDistance = 0;
  const otherIdx = table.classes.indexOf(OTHER_LABEL);
  const markedOther = new Set(
    [...foldProject(p).samples.entries()].filter(([, d]) => d.label === OTHER_LABEL).map(([id]) => id),
  );
  let correctionsRecognised = 0;
  p.data.samples.forEach((s, i) => {
    const b = flagged(beforeTable, i);
    const a = flagged(table, i);
    if (b) queueBefore++;
    if (a) queueAfter++;
    if (b && !a) left++;
    if (s.split === 'pool' && table.predicted[i] === otherIdx) {
      predictedOther++;
      if (table.flags[i]! & OTHER_BY_DISTANCE) otherByDistance++;
    }
    if (markedOther.has(s.id) && table.predicted[i] === otherIdx) correctionsRecognised++;
  });
  return {
    modelVersion: table.modelVersion,
    heldOutAccuracyBefore: beforeTrain?.heldOutAccuracy ?? null,
    heldOutAccuracyAfter: train.heldOutAccuracy,
    queueBefore,
    queueAfter,
    leftQueue: left,
    predictedOther,
    otherByDistance,
    markedOther: markedOther.size,
    trainedOnCorrections: correctionsRecognised,
  };
}
