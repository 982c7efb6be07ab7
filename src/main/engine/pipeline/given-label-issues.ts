// Label issues from probabilities that are out-of-sample already (imported predictions): no
// fold models, the given probabilities through the same confident-learning threshold.
import type { Classifier } from '../model/classifier.js';
import type { ModelInputs } from '../model/inputs.js';
import { embedImages } from '../embeddings/embed.js';
import { findLabelIssues, softmax, type LabelIssues } from '../scores/index.js';

export async function givenLabelIssues(
  model: Classifier,
  inputs: ModelInputs,
  labels: readonly (string | null)[],
): Promise<LabelIssues> {
  const C = model.classes.length;
  const probs = softmax((await embedImages(model, inputs)).logits, C);
  const given = Int32Array.from(labels, (l) => (l === null ? -1 : model.classes.indexOf(l)));
  return findLabelIssues(probs, C, given);
}
