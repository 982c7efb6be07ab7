// The backbone an open runs: the shipped one, or one the user names by path or URL
// (model/backbone-source.ts downloads it once and checks its files on every use). A tfjs
// MobileNetV2 is rebuilt with the shipped one's taps and size; any other model (tfjs,
// SavedModel, ONNX) runs as it is, its features the rows (model/user/backbone-extractor.ts).
import type { OpenSpec } from '../engine-types.js';
import { isMobileNetV2Folder, loadBackbone } from '../model/backbone.js';
import { backboneCacheDir, resolveBackbone } from '../model/backbone-source.js';
import type { Extractor } from '../model/extractor.js';
import { loadBackboneExtractor } from '../model/user/backbone-extractor.js';
import { DatasetError } from '../types.js';

export async function openBackbone(spec: OpenSpec): Promise<Extractor> {
  if (!spec.backbone) return loadBackbone();
  const found = await resolveBackbone(spec.backbone.spec, {
    cacheDir: backboneCacheDir(),
    ...(spec.backbone.sha256 ? { sha256: spec.backbone.sha256 } : {}),
  });
  if (found.format === 'tfjs' && (await isMobileNetV2Folder(found.dir))) return loadBackbone(found.dir);
  try {
    return await loadBackboneExtractor(found.dir, spec.backbone.preprocess);
  } catch (err) {
    throw new DatasetError(`Backbone ${spec.backbone.spec}: ${(err as Error).message}`);
  }
}
