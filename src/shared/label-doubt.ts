// When the label check's doubts stop meaning wrong labels: the app and the CLI say it the same way.

/**
 * Below this held-out accuracy the label check's doubts are mostly the model's own mistakes:
 * its flag's precision was 0.94-0.96 at MNIST's 92-93% (5% of labels flipped), 0.35 at 71% on
 * CIFAR photos (8% flipped), and it flagged 13% of a clean CIFAR set (docs/label-check.md).
 */
export const WEAK_MODEL_ACCURACY = 0.9;

/** "right on 71.9% of held-out samples", when that is too weak for the model's label doubts to mean wrong labels. */
export function weakModelAccuracy(heldOutAccuracy: number | null): string | null {
  if (heldOutAccuracy === null || !(heldOutAccuracy < WEAK_MODEL_ACCURACY)) return null;
  return `right on ${(100 * heldOutAccuracy).toFixed(1)}% of held-out samples`;
}
