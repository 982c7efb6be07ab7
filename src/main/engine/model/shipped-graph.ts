// TensorFlow graphs beside the weights they serve: the training graphs shipped in
// resources/graphs (scripts/make-*-train-graph.py), loaded once per thread, and the backbone's
// (model/backbone.ts). Each has a source.json saying what it computes, and one small run at
// load shows this libtensorflow has every op it needs.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { tf } from './tf.js';
import { shippedResourceDir, unpackedPath } from './shipped-resource.js';

export type SavedModel = Awaited<ReturnType<typeof tf.node.loadSavedModel>>;
export type Tensors = Record<string, tf.Tensor>;

const loaded = new Map<string, Promise<SavedModel | null>>();

/**
 * resources/graphs/`name`'s `train_chunk` signature, or null where it is missing, its
 * source.json is not `accept`ed, or `probe` throws (a libtensorflow older than the one that
 * saved it).
 */
export function shippedGraph(
  name: string,
  accept: (source: Record<string, unknown>) => boolean,
  probe: (saved: SavedModel) => Promise<void>,
): Promise<SavedModel | null> {
  let p = loaded.get(name);
  if (!p) {
    const dir = shippedResourceDir(path.join('graphs', name), 'saved_model.pb');
    p = (dir ? loadCheckedGraph(dir, 'train_chunk', accept, probe) : Promise.resolve(null)).then((g) => {
      // The fallback is the tfjs ops, about twice as slow: never silently.
      if (!g)
        console.warn(
          `unsure engine: the training graph resources/graphs/${name} is ${dir ? 'not for this build or does not run on this libtensorflow' : 'missing'}; training runs as tfjs ops, about 2x slower`,
        );
      return g?.saved ?? null;
    });
    loaded.set(name, p);
  }
  return p;
}

/**
 * The SavedModel in `dir` and the source.json beside it, or null where either is missing, the
 * source is not `accept`ed, or `probe` throws (a libtensorflow older than the one that saved it).
 */
export async function loadCheckedGraph<S>(
  dir: string,
  signature: string,
  accept: (source: S) => boolean,
  probe: (saved: SavedModel, source: S) => Promise<void> | void,
): Promise<{ saved: SavedModel; source: S } | null> {
  let saved: SavedModel;
  let source: S;
  try {
    source = JSON.parse(await readFile(path.join(dir, 'source.json'), 'utf8')) as S;
    if (!accept(source)) return null;
    saved = await tf.node.loadSavedModel(unpackedPath(dir), ['serve'], signature);
  } catch {
    return null;
  }
  try {
    await probe(saved, source);
    return { saved, source };
  } catch {
    saved.dispose();
    return null;
  }
}

/** One call: the state and the chunk's inputs in, the new state and the chunk's outputs back; the inputs are disposed. */
export function runChunk(saved: SavedModel, state: Tensors, inputs: Tensors): Tensors {
  try {
    return saved.predict({ ...state, ...inputs }) as Tensors;
  } finally {
    Object.values(inputs).forEach((t) => t.dispose());
  }
}
