// The shipped frozen backbone (MobileNetV2 width 0.35, ImageNet; resources/backbones/). Its
// saved topology fixes the input at 224 x 224, but the network is fully convolutional with a
// global pooling at the end, so the same weights run at any size: we rewrite the input layer's
// batch_input_shape, build the graph, and load the manifest's weights into it by name.
// Optionally the pooled outputs of earlier blocks are concatenated to the final 1280-d row
// (docs/colour-model.md measured which ones pay).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { tf } from './tf.js';
import { shippedResourceDir } from './shipped-resource.js';
import { loadCheckedGraph, type SavedModel } from './shipped-graph.js';
import type { Extractor, ExtractorOutput } from './extractor.js';
import type { Recipe } from '../../../shared/recipe.js';
import {
  BACKBONE_BATCH,
  BACKBONE_INPUT_SIZE,
  BACKBONE_MIRROR,
  BACKBONE_RESIZE,
  BACKBONE_ROOT,
  BACKBONE_SCALES,
  BACKBONE_TAPS,
} from './backbone-defaults.js';

export * from './backbone-defaults.js';

/**
 * Bumped when the same backbone and size start giving other features (pooling, taps, scaling,
 * decoding). 2: images no larger than the input are scaled up by TensorFlow (photo-upscale.ts).
 */
export const PHOTO_RECIPE_VERSION = 2;

/** The folder shipped in resources/, found from this file in the source tree and in out/ alike. */
export function shippedBackboneDir(): string {
  const rel = 'backbones/mobilenet-v2-0.35-imagenet';
  return shippedResourceDir(rel, 'model.json') ?? path.resolve('resources', rel);
}

/** The photo recipe for the backbone at `size`: RGB, x / 127.5 - 1 (MobileNetV2's ImageNet scaling). */
export function photoRecipe(size: number, resize = BACKBONE_RESIZE): Recipe {
  return {
    name: 'photo',
    version: PHOTO_RECIPE_VERSION,
    input: { height: size, width: size, channels: 3 },
    resize,
    background: [0, 0, 0],
    digitLook: false,
    rescale: 1 / 127.5,
    mean: [1, 1, 1],
    std: [1, 1, 1],
  };
}

export interface BackboneOptions {
  /** Square input side in pixels (32..512). */
  inputSize?: number;
  /** Names of earlier layers whose outputs are average-pooled and appended to the final row. */
  taps?: readonly string[];
  /** Images per forward pass; the last partial batch is padded so one shape is ever built. */
  batch?: number;
  resize?: Recipe['resize'];
  /** Average each row with the mirror image's (twice the cost). */
  mirror?: boolean;
  /** Take the signed square root of every value of a row. */
  root?: boolean;
  /** Other square sizes the image is resized to (bilinear), whose rows are averaged in. */
  scales?: readonly number[];
  /** Use the folder's TensorFlow graph of these options when it has one (default true). */
  graph?: boolean;
}

interface LayerJson {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: unknown[];
}
interface WeightSpec {
  name: string;
  shape: number[];
  dtype?: string;
  quantization?: unknown;
}
interface ModelJsonFile {
  modelTopology: { class_name: string; config: { layers: { class_name: string; config: unknown }[] } };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

/** The functional base (input -> out_relu) of the saved Sequential, rebuilt at `size`. */
function baseTopology(json: ModelJsonFile, size: number, file: string): Record<string, unknown> {
  const outer = json.modelTopology;
  const inner = outer?.config?.layers?.[0];
  if (!inner || inner.class_name !== 'Model')
    throw new Error(`${file}: expected a Sequential whose first layer is the MobileNetV2 base model`);
  const cfg = structuredClone(inner.config) as { layers: LayerJson[] };
  const input = cfg.layers.find((l) => l.class_name === 'InputLayer');
  if (!input) throw new Error(`${file}: the base model has no InputLayer`);
  input.config.batch_input_shape = [null, size, size, 3];
  return { class_name: 'Model', config: cfg };
}

/** How a batch [n, size, size, 3] (scaled) becomes its rows [n, featureDim]; inside tf.tidy. */
type RowsOf = (x: tf.Tensor4D) => tf.Tensor2D;

export class Backbone implements Extractor {
  readonly featureDim: number;
  readonly knnCols?: number;
  readonly classes = null;
  readonly notes: string[];

  constructor(
    readonly id: string,
    readonly recipe: Recipe,
    /** The tfjs layers graph, when that computes the rows (benches read intermediate outputs from it). */
    readonly net: tf.LayersModel | null,
    private readonly rowsOf: RowsOf,
    private readonly release: () => void,
    readonly batch: number,
    dims: number[],
    taps: readonly string[],
    /** Average each row with its mirror image's. */
    readonly mirror: boolean,
    /** Signed square roots of the pooled values. */
    readonly root: boolean,
    /** Other sizes whose rows are averaged in. */
    scales: readonly number[],
    /** Which runtime computes the rows, for the notes. */
    runtime: string,
  ) {
    if (recipe.input.channels !== 3) throw new Error(`backbone: RGB input only, not ${recipe.input.channels} channels`);
    this.featureDim = dims.reduce((a, b) => a + b, 0);
    // The taps help the head classify and hurt kNN's ranking of held-out classes.
    if (taps.length) this.knnCols = dims[0];
    const tapNote = taps.length ? ` + pooled ${taps.join(', ')} (${dims.slice(1).join(' + ')})` : '';
    const sizes = [recipe.input.width, ...scales].join(' and ');
    const viewNote = scales.length
      ? `, averaged over the image${mirror ? ' and its mirror image' : ''} at ${sizes} px`
      : mirror
        ? ', averaged with the mirror image'
        : '';
    const rootNote = root ? ', signed square roots' : '';
    this.notes = [
      `features: MobileNetV2-0.35 global-average-pooled out_relu (${dims[0]}-d)${tapNote}${viewNote}${rootNote}; ${runtime}`,
    ];
  }

  /** Features of n images (recipe.input bytes, NHWC), batch by batch. */
  async run(pixels: Uint8Array, n: number): Promise<ExtractorOutput> {
    const { height: h, width: w, channels: c } = this.recipe.input;
    const per = h * w * c;
    if (pixels.length < n * per) throw new Error(`backbone: ${pixels.length} bytes for ${n} images of ${h}x${w}x${c}`);
    const { mean, std, rescale } = this.recipe;
    // (x * rescale - mean) / std of every byte value of each of the three channels, looked up.
    const lut = Float32Array.from({ length: 3 * 256 }, (_, j) => ((j & 255) * rescale - mean[j >> 8]!) / std[j >> 8]!);
    const out = new Float32Array(n * this.featureDim);
    const buf = new Float32Array(this.batch * per);
    for (let start = 0; start < n; start += this.batch) {
      const m = Math.min(this.batch, n - start);
      const src = pixels.subarray(start * per, (start + m) * per);
      for (let i = 0; i < src.length; i += 3) {
        buf[i] = lut[src[i]!]!;
        buf[i + 1] = lut[256 + src[i + 1]!]!;
        buf[i + 2] = lut[512 + src[i + 2]!]!;
      }
      if (m < this.batch) buf.fill(0, m * per);
      const rows = tf.tidy(() => {
        const pooled = this.rowsOf(tf.tensor4d(buf, [this.batch, h, w, c]));
        return this.root ? tf.mul(tf.sign(pooled), tf.sqrt(tf.abs(pooled))) : pooled;
      });
      const data = (await rows.data()) as Float32Array;
      rows.dispose();
      out.set(data.subarray(0, m * this.featureDim), start * this.featureDim);
    }
    return { features: out, logits: null };
  }

  dispose(): void {
    this.release();
  }
}

/**
 * The tfjs layers graphs' rows: pooled outputs side by side, averaged over the views: the
 * image at the input size and resized to each other net's size, each with its mirror image
 * when `mirror` (the left-right symmetry photos have: +2.4 points at 128, docs/colour-model.md).
 */
function layersRows(nets: { net: tf.LayersModel; size: number }[], mirror: boolean): RowsOf {
  const pooled = (net: tf.LayersModel, x: tf.Tensor4D): tf.Tensor2D => {
    const outs = net.predict(x) as tf.Tensor4D | tf.Tensor4D[];
    const list = (Array.isArray(outs) ? outs : [outs]).map((t) => tf.mean(t, [1, 2]) as tf.Tensor2D);
    return list.length === 1 ? list[0]! : tf.concat(list, 1);
  };
  return (x) => {
    const rows = nets.flatMap(({ net, size }) => {
      // Half-pixel centres, as tf.image.resize in scripts/make-backbone-graph.py.
      const view = size === x.shape[1] ? x : tf.image.resizeBilinear(x, [size, size], false, true);
      return mirror ? [pooled(net, view), pooled(net, tf.reverse(view, 2))] : [pooled(net, view)];
    });
    return rows.length === 1 ? rows[0]! : (tf.div(tf.addN(rows), rows.length) as tf.Tensor2D);
  };
}

/** What scripts/make-backbone-graph.py records beside the SavedModel it makes. */
interface GraphSource {
  sha256: string;
  size: number;
  taps: string[];
  mirror: boolean;
  /** Other sizes averaged in (absent in graphs made before there were any). */
  scales?: number[];
  /** Width of each pooled output: out_relu's, then each tap's. */
  dims: number[];
}

/**
 * The same rows from the SavedModel in `dir`/graph-<size> (scripts/make-backbone-graph.py), run
 * by TensorFlow as one graph: about twice the images per second of the layers graph, whose
 * batch norms and activations run as separate ops. Null when there is none for these exact
 * weights and options, or it does not load (a libtensorflow older than the one that saved it).
 */
async function loadGraphRows(
  dir: string,
  sha256: string,
  size: number,
  taps: readonly string[],
  mirror: boolean,
  scales: readonly number[],
): Promise<{ rowsOf: RowsOf; release: () => void; dims: number[]; note: string } | null> {
  const graphDir = path.join(dir, `graph-${size}`);
  const rowsOf =
    (saved: SavedModel, featureDim: number): RowsOf =>
    (x) => {
      const out = saved.predict(x) as tf.Tensor2D | Record<string, tf.Tensor2D>;
      const rows = out instanceof tf.Tensor ? out : Object.values(out)[0];
      if (!rows || rows.shape[1] !== featureDim)
        throw new Error(`${graphDir}: the graph gives no ${featureDim}-d features`);
      return rows;
    };
  const dimOf = (source: GraphSource) => source.dims.reduce((a, b) => a + b, 0);
  const graph = await loadCheckedGraph<GraphSource>(
    graphDir,
    'serving_default',
    (source) =>
      source.sha256 === sha256 &&
      source.size === size &&
      source.mirror === mirror &&
      source.taps?.join() === taps.join() &&
      (source.scales ?? []).join() === scales.join() &&
      Array.isArray(source.dims) &&
      source.dims.length === taps.length + 1,
    // One image through it now: an op this libtensorflow lacks fails here, not mid-open.
    (saved, source) => void tf.tidy(() => rowsOf(saved, dimOf(source))(tf.zeros([1, size, size, 3]))),
  );
  if (!graph) return null;
  const { saved, source } = graph;
  return {
    rowsOf: rowsOf(saved, dimOf(source)),
    release: () => saved.dispose(),
    dims: source.dims,
    note: 'run as a TensorFlow graph',
  };
}

/**
 * Whether `dir` holds a tfjs MobileNetV2 saved as the shipped one is (a Sequential whose first
 * layer is the Keras base model, ending in out_relu): what loadBackbone rebuilds at any size.
 */
export async function isMobileNetV2Folder(dir: string): Promise<boolean> {
  try {
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as ModelJsonFile;
    const inner = json.modelTopology?.config?.layers?.[0];
    const layers = (inner?.config as { layers?: LayerJson[] } | undefined)?.layers;
    return inner?.class_name === 'Model' && Array.isArray(layers) && layers.some((l) => l.name === 'out_relu');
  } catch {
    return false;
  }
}

/**
 * The backbone in `dir` (default: the shipped one) built at inputSize x inputSize. Every
 * weight of the manifest must land in a layer of the graph and every layer weight must get one.
 */
export async function loadBackbone(dir = shippedBackboneDir(), opts: BackboneOptions = {}): Promise<Backbone> {
  const size = opts.inputSize ?? BACKBONE_INPUT_SIZE;
  const taps = opts.taps ?? BACKBONE_TAPS;
  const batch = opts.batch ?? BACKBONE_BATCH;
  const mirror = opts.mirror ?? BACKBONE_MIRROR;
  const root = opts.root ?? BACKBONE_ROOT;
  const scales = opts.scales ?? BACKBONE_SCALES;
  for (const s of [size, ...scales])
    if (!Number.isInteger(s) || s < 32 || s > 512)
      throw new Error(`backbone input size must be an integer 32..512, got ${s}`);
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`backbone batch must be a positive integer, got ${batch}`);
  const file = path.join(dir, 'model.json');
  let json: ModelJsonFile;
  let jsonBytes: Buffer;
  try {
    jsonBytes = await readFile(file);
    json = JSON.parse(jsonBytes.toString('utf8')) as ModelJsonFile;
  } catch (err) {
    throw new Error(`${file}: cannot read the backbone: ${(err as Error).message}`, { cause: err });
  }
  const manifest = json.weightsManifest?.[0];
  if (!manifest || json.weightsManifest.length !== 1) throw new Error(`${file}: expected one weights group`);
  const binPath = path.join(dir, manifest.paths[0] ?? 'weights.bin');
  const bin = await readFile(binPath);
  const specs = manifest.weights;
  const expected = specs.reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  if (w32(specs) && bin.length !== expected)
    throw new Error(`${binPath}: ${bin.length} bytes where the manifest describes ${expected}`);

  const sha256 = createHash('sha256').update(jsonBytes).update(bin).digest('hex');
  const recipe = photoRecipe(size, opts.resize ?? BACKBONE_RESIZE);
  const views = [size, ...scales].join('+');
  const id = `mobilenet-v2-0.35-${sha256.slice(0, 16)}@${views}${taps.length ? '+' + taps.join('+') : ''}${mirror ? '+mirror' : ''}${root ? '+sqrt' : ''}:photo-v${PHOTO_RECIPE_VERSION}`;
  const backbone = (rowsOf: RowsOf, release: () => void, dims: number[], note: string, net: tf.LayersModel | null) =>
    new Backbone(id, recipe, net, rowsOf, release, batch, dims, taps, mirror, root, scales, note);
  const graph = opts.graph === false ? null : await loadGraphRows(dir, sha256, size, taps, mirror, scales);
  if (graph) return backbone(graph.rowsOf, graph.release, graph.dims, graph.note, null);

  const nets: { net: tf.LayersModel; size: number }[] = [];
  try {
    for (const s of [size, ...scales])
      nets.push({ net: await layersNet(json, file, bin, binPath, specs, s, taps), size: s });
  } catch (err) {
    for (const { net } of nets) net.dispose();
    throw err;
  }
  const first = nets[0]!.net;
  const dims = first.outputs.map((o) => o.shape[o.shape.length - 1] as number);
  return backbone(
    layersRows(nets, mirror),
    () => nets.forEach(({ net }) => net.dispose()),
    dims,
    'run by tfjs layers',
    first,
  );
}

/** The base rebuilt at `size` with the manifest's weights, its outputs out_relu then the taps. */
async function layersNet(
  json: ModelJsonFile,
  file: string,
  bin: Buffer,
  binPath: string,
  specs: WeightSpec[],
  size: number,
  taps: readonly string[],
): Promise<tf.LayersModel> {
  const base = (await tf.models.modelFromJSON(baseTopology(json, size, file) as never)) as tf.LayersModel;
  const named = tf.io.decodeWeights(
    bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
    specs as Parameters<typeof tf.io.decodeWeights>[1],
  );
  const byName = new Map<string, tf.Tensor>(Object.entries(named));
  try {
    let assigned = 0;
    for (const layer of base.layers) {
      const ws = layer.weights;
      if (ws.length === 0) continue;
      const values = ws.map((v) => {
        const t = byName.get(v.originalName);
        if (!t) throw new Error(`${binPath}: no weight ${v.originalName} for layer ${layer.name}`);
        if (t.shape.join() !== v.shape.join())
          throw new Error(`${binPath}: ${v.originalName} is [${t.shape}], the layer wants [${v.shape}]`);
        return t;
      });
      layer.setWeights(values);
      assigned += values.length;
    }
    if (assigned !== specs.length)
      throw new Error(
        `${binPath}: ${specs.length - assigned} of ${specs.length} weights were not assigned to any layer`,
      );
    const outputs = [base.getLayer('out_relu').output as tf.SymbolicTensor];
    for (const t of taps) {
      let layer: tf.layers.Layer;
      try {
        layer = base.getLayer(t);
      } catch {
        throw new Error(`backbone: no layer named ${t} to pool features from`);
      }
      outputs.push(layer.output as tf.SymbolicTensor);
    }
    return outputs.length === 1 ? base : tf.model({ inputs: base.inputs, outputs });
  } catch (err) {
    base.dispose();
    throw err;
  } finally {
    for (const t of byName.values()) t.dispose();
  }
}

function w32(specs: WeightSpec[]): boolean {
  return specs.every((s) => (s.dtype ?? 'float32') === 'float32' && !s.quantization);
}
