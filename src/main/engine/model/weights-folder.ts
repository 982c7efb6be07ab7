// A saved model folder as Unsure writes it: model.json (its format, classes, provenance and
// weight manifest) and weights.bin (the named arrays, float32, one after another), swapped
// into place atomically with the MODEL_MARKER (project/atomic-dir.ts). Both the CNN's
// checkpoint and a head's are such folders.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTempSibling, recoverSiblings, removeIfOurs, swapIntoPlace } from '../project/atomic-dir.js';
import { killPoint } from '../project/kill-point.js';
import { MODEL_MARKER } from '../project/output-guard.js';

/** The arrays named, in that order, as one buffer (weights.bin's layout). */
export function packWeights<K extends string>(names: readonly K[], arrays: Record<K, Float32Array>): Float32Array {
  const bin = new Float32Array(names.reduce((s, k) => s + arrays[k].length, 0));
  let off = 0;
  for (const k of names) {
    bin.set(arrays[k], off);
    off += arrays[k].length;
  }
  return bin;
}

/** Writes weights.bin, then model.json, into a temp sibling of dir, and swaps it into place. */
export async function writeWeightsFolder(dir: string, bin: Float32Array, json: unknown): Promise<void> {
  const target = path.resolve(dir);
  const tmp = await makeTempSibling(target, MODEL_MARKER);
  try {
    // Float32Array is little-endian on every platform Node runs on.
    await writeFile(path.join(tmp.dir, 'weights.bin'), new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength));
    killPoint('model-tmp-partial', target);
    await writeFile(path.join(tmp.dir, 'model.json'), JSON.stringify(json, null, 2));
    await swapIntoPlace(tmp, target, MODEL_MARKER, 'model');
  } catch (err) {
    await removeIfOurs(tmp, MODEL_MARKER);
    throw err;
  }
}

/** Whether dir holds a model.json of this format (what a killed save left is put right first). */
export async function isModelFolder(dir: string, format: string): Promise<boolean> {
  await recoverSiblings(path.resolve(dir), MODEL_MARKER);
  try {
    const j = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as { format?: string };
    return j.format === format;
  } catch {
    return false;
  }
}
