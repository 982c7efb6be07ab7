// The backbone's part of an open: the shipped backbone turns every sample into a feature row
// (cached in the project folder by sample id), reported as the open's 'features' phase.
import type { EngineProgress, OpenResult, OpenSpec } from '../engine-types.js';
import { loadBackbone } from '../model/backbone.js';
import type { ModelInputs } from '../model/inputs.js';
import { extractRows } from './extract-rows.js';
import { recipeDecoder } from './extract-decode.js';
import type { RowSource } from './train-head-model.js';

export async function extractBackboneRows(
  opened: Omit<OpenResult, 'recipe'>,
  spec: OpenSpec,
  onProgress: (p: EngineProgress) => void,
): Promise<{ inputs: Extract<ModelInputs, { kind: 'features' }>; source: RowSource }> {
  const backbone = await loadBackbone();
  try {
    const { samples } = opened;
    const rows = await extractRows(
      samples.map((s) => s.id),
      backbone,
      {
        projectDir: spec.projectDir,
        decode: recipeDecoder(samples, opened, backbone.recipe, spec.limits),
        onProgress: (done, total, etaSec) =>
          onProgress({
            task: 'open',
            phase: 'features',
            fraction: total > 0 ? done / total : 1,
            ...(etaSec !== undefined ? { etaSec } : {}),
            message: `Computing image features: ${done}/${total}`,
          }),
      },
    );
    return {
      inputs: { kind: 'features', dim: rows.dim, data: rows.features },
      source: { id: backbone.id, recipe: backbone.recipe },
    };
  } finally {
    backbone.dispose();
  }
}
