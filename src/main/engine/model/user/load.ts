// A user's own model as an Extractor: any input shape, any of tfjs Layers or graph,
// TensorFlow SavedModel, or ONNX. The folder says what it is (find-model.ts), the model says
// its input shape and layout (network.ts), preprocessor_config.json or flags say how pixels
// are scaled (preprocess.ts), classes.json / labels.txt / config.json name the outputs
// (classes.ts), and the output names say which are logits and features (outputs.ts).
import path from 'node:path';
import type { Extractor, ExtractorOutput } from '../extractor.js';
import { readClassNames } from './classes.js';
import { checkpointExtractor } from './checkpoint-extractor.js';
import { findModel, formatName, type FoundModel, type ModelFormat } from './find-model.js';
import { modelId } from './model-hash.js';
import { describeDims, inputGeometry, type InputGeometry, type Network } from './network.js';
import { loadOnnxNetwork } from './onnx-network.js';
import { chooseOutputs, type OutputChoice } from './outputs.js';
import { scaleTables, toModelInput } from './pixels.js';
import { readPreprocessorConfig, recipeFor, type PreprocessSpec } from './preprocess.js';
import { loadSavedModelNetwork } from './savedmodel-network.js';
import { loadGraphNetwork, loadLayersNetwork } from './tfjs-network.js';
import type { Recipe } from '../../../../shared/recipe.js';

export interface UserExtractorOptions {
  /** The dataset's classes, used when the folder names none; they must match the output count. */
  fallbackClasses: readonly string[];
  /** Hugging Face image-processor fields given as flags; they override preprocessor_config.json. */
  preprocess?: PreprocessSpec;
}

export type UserExtractor = Extractor & { classes: string[]; format: ModelFormat };

function loadNetwork(found: FoundModel): Promise<Network> {
  switch (found.format) {
    case 'onnx':
      return loadOnnxNetwork(found.file);
    case 'savedmodel':
      return loadSavedModelNetwork(found.file);
    case 'layers':
      return loadLayersNetwork(found.file);
    case 'graph':
      return loadGraphNetwork(found.file);
    case 'unsure':
      throw new Error('an Unsure checkpoint is not run as a network');
  }
}

function batchDims(g: InputGeometry, r: Recipe, n: number): number[] {
  const { height: h, width: w, channels: c } = r.input;
  if (g.layout === 'NHWC') return [n, h, w, c];
  if (g.layout === 'NCHW') return [n, c, h, w];
  if (g.layout === 'NHW') return [n, h, w];
  return [n, h * w * c];
}

/** Runs n images in batches of the model's fixed batch size (the last one padded), or all at once. */
async function runBatches(
  net: Network,
  g: InputGeometry,
  r: Recipe,
  pixels: Uint8Array,
  n: number,
  tables: Float32Array[],
): Promise<{ out: Map<string, Float32Array>; rows: number }> {
  const step = g.batch ?? Math.max(n, 1);
  const parts = new Map<string, Float32Array[]>();
  for (let first = 0; first < n; first += step) {
    const m = Math.min(step, n - first);
    let x = toModelInput(pixels, first, m, r, g.layout, tables);
    if (m < step) {
      const padded = new Float32Array((x.length / m) * step);
      padded.set(x);
      x = padded;
    }
    const res = await net.run(x, batchDims(g, r, step));
    for (const [name, v] of res) {
      const keep = v.subarray(0, (v.length / step) * m);
      parts.set(name, [...(parts.get(name) ?? []), keep]);
    }
  }
  const out = new Map<string, Float32Array>();
  for (const [name, ps] of parts) {
    const all = new Float32Array(ps.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of ps) {
      all.set(p, at);
      at += p.length;
    }
    out.set(name, all);
  }
  return { out, rows: n };
}

function toOutput(res: Map<string, Float32Array>, choice: OutputChoice): ExtractorOutput {
  const raw = res.get(choice.classOutput)!;
  // log(p + 1e-12), as the digits path does: a zero probability stays finite.
  const logits = choice.probabilities ? Float32Array.from(raw, (p) => Math.log(p + 1e-12)) : Float32Array.from(raw);
  return { logits, features: choice.features ? Float32Array.from(res.get(choice.features)!) : null };
}

export async function loadUserExtractor(dir: string, opts: UserExtractorOptions): Promise<UserExtractor> {
  const abs = path.resolve(dir);
  const found = await findModel(abs);
  if (found.format === 'unsure') return { ...(await checkpointExtractor(abs)), format: 'unsure' };
  const config = await readPreprocessorConfig(abs);
  const net = await loadNetwork(found);
  try {
    const g = inputGeometry(net.input.dims, net.preferredLayout, found.file);
    if (g.channels === null)
      throw new Error(
        `${found.file}: a flat input ${describeDims(net.input.dims)} other than 784 (28 x 28 grey) is not supported: export the model with an image input (NHWC or NCHW)`,
      );
    const { recipe, notes: recipeNotes } = recipeFor(
      abs,
      describeDims(net.input.dims),
      { height: g.height, width: g.width, channels: g.channels },
      config,
      opts.preprocess,
    );
    const tables = scaleTables(recipe);
    // Two probe images (black, white) give each output's width and the class output's kind.
    const probeRows = 2;
    const per = recipe.input.height * recipe.input.width * recipe.input.channels;
    const probePixels = new Uint8Array(probeRows * per).fill(255, per);
    const probe = await runBatches(net, g, recipe, probePixels, probeRows, tables);
    const choice = chooseOutputs(net, probe.out, probeRows, found.file);
    const classCount = probe.out.get(choice.classOutput)!.length / probeRows;
    const classes = await readClassNames(abs, classCount, opts.fallbackClasses);
    const featureDim = choice.features ? probe.out.get(choice.features)!.length / probeRows : 0;
    const notes = [
      `${formatName(found.format)} ${path.basename(found.file)}, input ${describeDims(net.input.dims)} (${g.layout})`,
      ...net.notes,
      ...recipeNotes,
      ...choice.notes,
    ];
    return {
      id: await modelId(abs, found.format, recipe),
      format: found.format,
      recipe,
      featureDim,
      classes,
      notes,
      async run(pixels, n) {
        if (!Number.isInteger(n) || n < 0 || pixels.length !== n * per)
          throw new RangeError(`${found.file}: run() got ${pixels.length} bytes for ${n} images of ${per} bytes`);
        if (n === 0) return { logits: new Float32Array(0), features: choice.features ? new Float32Array(0) : null };
        return toOutput((await runBatches(net, g, recipe, pixels, n, tables)).out, choice);
      },
      dispose: () => net.dispose(),
    };
  } catch (err) {
    net.dispose();
    throw err;
  }
}
