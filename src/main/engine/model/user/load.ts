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
import { describeDims, inputGeometry, type Network } from './network.js';
import { loadOnnxNetwork } from './onnx-network.js';
import { chooseOutputs, type OutputChoice } from './outputs.js';
import { scaleTables } from './pixels.js';
import { runBatches } from './batches.js';
import { readPreprocessorConfig, recipeFor, type PreprocessSpec } from './preprocess.js';
import { loadSavedModelNetwork } from './savedmodel-network.js';
import { loadGraphNetwork, loadLayersNetwork } from './tfjs-network.js';

export interface UserExtractorOptions {
  /** The dataset's classes, used when the folder names none; they must match the output count. */
  fallbackClasses: readonly string[];
  /** Hugging Face image-processor fields given as flags; they override preprocessor_config.json. */
  preprocess?: PreprocessSpec;
  /** Leave the outputs unnamed ("output 0", ...): the model serves as a backbone, its classes unused. */
  unnamedClasses?: boolean;
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
      { height: g.height, width: g.width, channels: g.channels, takesBytes: net.takesBytes === true },
      config,
      opts.preprocess,
    );
    const tables = scaleTables(recipe);
    // Two probe images (black, white) give each output's width and the class output's kind.
    const probeRows = 2;
    const per = recipe.input.height * recipe.input.width * recipe.input.channels;
    const probePixels = new Uint8Array(probeRows * per).fill(255, per);
    const probe = await runBatches(net, g, recipe, probePixels, probeRows, tables);
    const choice = chooseOutputs(net, probe, probeRows, found.file);
    const classCount = probe.get(choice.classOutput)!.length / probeRows;
    const classes = opts.unnamedClasses
      ? Array.from({ length: classCount }, (_, i) => `output ${i}`)
      : await readClassNames(abs, classCount, opts.fallbackClasses);
    const featureDim = choice.features ? probe.get(choice.features)!.length / probeRows : 0;
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
        return toOutput(await runBatches(net, g, recipe, pixels, n, tables), choice);
      },
      dispose: () => net.dispose(),
    };
  } catch (err) {
    net.dispose();
    throw err;
  }
}
