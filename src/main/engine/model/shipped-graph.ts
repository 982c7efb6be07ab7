// The training graphs shipped in resources/graphs (scripts/make-*-train-graph.py): loaded once
// per thread, and only where they run. Each holds no weights; its source.json says what it
// computes, and one small step at load shows this libtensorflow has every op it needs.
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
  if (!p) loaded.set(name, (p = load(name, accept, probe)));
  return p;
}

async function load(
  name: string,
  accept: (source: Record<string, unknown>) => boolean,
  probe: (saved: SavedModel) => Promise<void>,
): Promise<SavedModel | null> {
  const dir = shippedResourceDir(path.join('graphs', name), 'saved_model.pb');
  if (!dir) return null;
  let saved: SavedModel;
  try {
    const source = JSON.parse(await readFile(path.join(dir, 'source.json'), 'utf8')) as Record<string, unknown>;
    if (!accept(source)) return null;
    saved = await tf.node.loadSavedModel(unpackedPath(dir), ['serve'], 'train_chunk');
  } catch {
    return null;
  }
  try {
    await probe(saved);
    return saved;
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
