// Which model a user's folder holds: exactly one of a tfjs model.json (an Unsure checkpoint,
// a Layers model or a graph model), a TensorFlow SavedModel (saved_model.pb), or an ONNX
// file (model.onnx or any one *.onnx). Two of them is an error, not a guess.
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isCheckpointDir } from '../checkpoint.js';
import { readJsonFile } from './read-json.js';

export type ModelFormat = 'unsure' | 'layers' | 'graph' | 'savedmodel' | 'onnx';

export interface FoundModel {
  format: ModelFormat;
  /** The model's main file. */
  file: string;
}

const FORMAT_NAMES: Record<ModelFormat, string> = {
  unsure: 'Unsure checkpoint',
  layers: 'tfjs Layers model',
  graph: 'tfjs graph model',
  savedmodel: 'TensorFlow SavedModel',
  onnx: 'ONNX model',
};

export function formatName(f: ModelFormat): string {
  return FORMAT_NAMES[f];
}

async function tfjsFormat(dir: string, file: string): Promise<ModelFormat> {
  if (await isCheckpointDir(dir)) return 'unsure';
  const json = (await readJsonFile(file)) as { format?: unknown; modelTopology?: { node?: unknown } } | null;
  if (typeof json !== 'object' || json === null) throw new Error(`${file}: expected a tfjs model.json object`);
  return json.format === 'graph-model' || Array.isArray(json.modelTopology?.node) ? 'graph' : 'layers';
}

export async function findModel(dir: string): Promise<FoundModel> {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) throw new Error(`Model folder not found: ${abs}`);
  if (!(await stat(abs)).isDirectory()) throw new Error(`${abs}: a model is given as the folder that holds it`);
  const names = (await readdir(abs)).sort();
  const found: string[] = names.filter((n) => n === 'model.json' || n === 'saved_model.pb' || /\.onnx$/i.test(n));
  if (found.length === 0)
    throw new Error(
      `${abs} holds no model: expected model.json (Unsure checkpoint, tfjs Layers or graph model), saved_model.pb (TensorFlow SavedModel) or a .onnx file (ONNX)`,
    );
  if (found.length > 1)
    throw new Error(`${abs} holds more than one model (${found.join(', ')}): keep one model per folder`);
  const name = found[0]!;
  const file = path.join(abs, name);
  if (name === 'model.json') return { format: await tfjsFormat(abs, file), file };
  if (name === 'saved_model.pb') return { format: 'savedmodel', file };
  return { format: 'onnx', file };
}
