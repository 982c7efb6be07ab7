// The backbone an open runs: the shipped one, or one the user names by path or URL
// (model/backbone-source.ts downloads it once and checks its files on every use).
import type { OpenSpec } from '../engine-types.js';
import { loadBackbone, type Backbone } from '../model/backbone.js';
import { backboneCacheDir, resolveBackbone } from '../model/backbone-source.js';
import { DatasetError } from '../types.js';

export async function openBackbone(spec: OpenSpec): Promise<Backbone> {
  if (!spec.backbone) return loadBackbone();
  const found = await resolveBackbone(spec.backbone.spec, {
    cacheDir: backboneCacheDir(),
    ...(spec.backbone.sha256 ? { sha256: spec.backbone.sha256 } : {}),
  });
  if (found.format !== 'tfjs')
    throw new DatasetError(
      `Backbone ${spec.backbone.spec} is a ${found.format} model: a backbone must be a tfjs layers MobileNetV2 ` +
        '(model.json with Keras layer names); give another model as --model instead',
    );
  return loadBackbone(found.dir);
}
