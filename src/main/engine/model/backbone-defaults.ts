import type { ResizePolicy } from '../../../shared/recipe.js';

// The backbone's defaults, chosen on CIFAR-10 (docs/colour-model.md has the table).

/** Input side the backbone is built at. */
export const BACKBONE_INPUT_SIZE = 224;
/** Earlier layers pooled and appended to the final 1280-d row. */
export const BACKBONE_TAPS: readonly string[] = [];
/** Images per forward pass: bounded memory, and one batch shape so oneDNN builds its kernels once. */
export const BACKBONE_BATCH = 32;
/** How non-square photos meet the square input. */
export const BACKBONE_RESIZE: ResizePolicy = 'stretch';
