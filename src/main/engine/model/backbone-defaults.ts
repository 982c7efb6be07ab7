// The backbone's defaults, chosen on CIFAR-10 (the table is in docs/colour-model.md).
import type { ResizePolicy } from '../../../shared/recipe.js';

/** 128: better than 224 on small photos (72.0% vs 70.0% with the peer's head) at 3.7x the images/s. */
export const BACKBONE_INPUT_SIZE = 128;
/** Earlier blocks pooled and appended to the final 1280-d row: +2.0 points at 128, free (same pass). */
export const BACKBONE_TAPS: readonly string[] = [
  'block_13_expand_relu',
  'block_14_add',
  'block_15_add',
  'block_16_project_BN',
];
/** Length of the final block's row, which leads every feature row (kNN compares only it). */
export const BACKBONE_FINAL_DIM = 1280;
/** Rows averaged with the mirror image's: 74.0% -> 76.4% with taps at 128, kNN 0.727 -> 0.747; twice the cost. */
export const BACKBONE_MIRROR = true;
/**
 * Each pooled value replaced by its signed square root: the head +0.7 points on the development
 * split, kNN's held-out classes 0.459 -> 0.501 (docs/colour-model.md). Free.
 */
export const BACKBONE_ROOT = true;
/**
 * Other input sizes each image is resized to, whose rows are averaged in (mirrors too): 144
 * gave +1.0 point of accuracy on three held-out pairs, and 160's accuracy on five at 0.85x its
 * time; kNN no worse (docs/colour-model.md). About 2.3x the backbone's time at 128 alone.
 */
export const BACKBONE_SCALES: readonly number[] = [144];
/** Images per forward pass: bounded memory, and one batch shape so oneDNN builds its kernels once. */
export const BACKBONE_BATCH = 32;
/** Square CIFAR cannot tell the policies apart; stretch keeps every pixel, as the peer's resize does. */
export const BACKBONE_RESIZE: ResizePolicy = 'stretch';
