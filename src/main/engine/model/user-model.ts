// Scoring with a model the user trained elsewhere. Three kinds are recognised in a folder:
//   - an Unsure checkpoint (model.json with format 'unsure-cnn-checkpoint'),
//   - a tfjs Layers model (model.json + weight shards, as written by model.save('file://')),
//   - a TensorFlow SavedModel (saved_model.pb), run by the native binding.
// Scores need logits and a feature vector. For a Layers model the features are the input of
// the final Dense layer (the penultimate activations) and the logits are recomputed from that
// layer's kernel and bias, so a softmax activation does not hide them. A SavedModel is a
// black box: an output whose name contains "logit" gives logits, one containing
// "embed"/"feature"/"penultimate" gives features. When a model exposes no features, its
// logit vector stands in for them (kNN distance then compares output patterns, which is
// weaker than comparing features; documented in the CLI usage). When the only output is a
// probability vector, log-probabilities are used as logits (softmax(log p) = p, so MSP,
// margin and entropy are exact; energy becomes constant and carries no signal).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tf } from './tf.js';
import type { Classifier } from './classifier.js';
import { isCheckpointDir, loadCheckpoint } from './checkpoint.js';
import { IMAGE_SIZE } from '../types.js';
import { OTHER_LABEL } from '../../../shared/api.js';
import { compareNatural } from '../datasets/natural-sort.js';

export type UserModelKind = 'unsure' | 'layers' | 'savedmodel';

export interface LoadedUserModel {
  classifier: Classifier;
  kind: UserModelKind;
  /** Human description of how logits and features are obtained. */
  notes: string[];
}

/**
 * @param fallbackClasses class names used when the folder carries none (classes.json or
 * labels.txt); they must match the model's output count.
 */
export async function loadUserModel(dir: string, fallbackClasses: readonly string[]): Promise<LoadedUserModel> {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) throw new Error(`Model folder not found: ${abs}`);
  if (await isCheckpointDir(abs)) {
    const ck = await loadCheckpoint(abs);
    return {
      classifier: ck.model,
      kind: 'unsure',
      notes: ['Unsure checkpoint: logits and 128-d penultimate (pre-ReLU) features'],
    };
  }
  if (existsSync(path.join(abs, 'model.json'))) return loadLayers(abs, fallbackClasses);
  if (existsSync(path.join(abs, 'saved_model.pb'))) return loadSaved(abs, fallbackClasses);
  throw new Error(
    `${abs} holds no model: expected model.json (Unsure checkpoint or tfjs Layers model) or saved_model.pb (TensorFlow SavedModel)`,
  );
}

async function classList(dir: string, outputs: number, fallback: readonly string[]): Promise<string[]> {
  let classes: string[] | null = null;
  const json = path.join(dir, 'classes.json');
  const txt = path.join(dir, 'labels.txt');
  if (existsSync(json)) {
    const parsed: unknown = JSON.parse(await readFile(json, 'utf8'));
    if (!Array.isArray(parsed) || !parsed.every((c) => typeof c === 'string'))
      throw new Error(`${json}: expected a JSON array of class names`);
    classes = parsed as string[];
  } else if (existsSync(txt)) {
    classes = (await readFile(txt, 'utf8'))
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  }
  if (classes === null) {
    // Without names, outputs can only be taken as the dataset's classes in order.
    if (outputs !== fallback.length) {
      throw new Error(
        `the model has ${outputs} outputs, the dataset ${fallback.length} classes: put a classes.json beside the model (a JSON array naming its outputs in order)`,
      );
    }
    return [...fallback];
  }
  if (classes.length !== outputs) {
    throw new Error(
      `the model has ${outputs} outputs but ${existsSync(json) ? json : txt} names ${classes.length} classes`,
    );
  }
  return classes;
}

/**
 * Why a model cannot score a dataset, or null: classes are matched by name, so every label
 * the dataset gives (except 'other') must be one of the model's classes.
 */
export function classMismatch(modelClasses: readonly string[], labels: readonly (string | null)[]): string | null {
  const known = new Set(modelClasses);
  const missing = new Set<string>();
  for (const l of labels) if (l !== null && l !== OTHER_LABEL && !known.has(l)) missing.add(l);
  if (missing.size === 0) return null;
  const list = (xs: Iterable<string>) => {
    const all = [...xs];
    const shown = all
      .slice(0, 10)
      .map((c) => `'${c}'`)
      .join(', ');
    return all.length > 10 ? `${shown} and ${all.length - 10} more` : shown;
  };
  return (
    `the model does not know the dataset's ${missing.size === 1 ? 'class' : 'classes'} ${list([...missing].sort(compareNatural))} ` +
    `(the model's classes: ${list(modelClasses)}); classes are matched by name, so the model must have been trained on these classes`
  );
}

/** Reshapes [n, 28, 28, 1] to what the model's first input expects. */
function adaptInput(x: tf.Tensor, shape: readonly (number | null)[] | undefined): tf.Tensor {
  const n = x.shape[0];
  if (!shape || shape.length === 4) return x;
  if (shape.length === 2) return tf.reshape(x, [n, IMAGE_SIZE * IMAGE_SIZE]);
  if (shape.length === 3) return tf.reshape(x, [n, IMAGE_SIZE, IMAGE_SIZE]);
  throw new Error(`unsupported model input shape [${shape.join(', ')}]`);
}

function looksLikeProbabilities(t: tf.Tensor2D): boolean {
  return tf.tidy(() => {
    // Scalars: arraySync gives the number itself.
    const min = tf.min(t).arraySync() as number;
    const dev = tf.max(tf.abs(tf.sub(tf.sum(t, 1), 1))).arraySync() as number;
    return min >= 0 && dev < 1e-3;
  });
}

async function loadLayers(dir: string, fallback: readonly string[]): Promise<LoadedUserModel> {
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(pathToFileURL(path.join(dir, 'model.json')).href);
  } catch (err) {
    throw new Error(`${path.join(dir, 'model.json')}: cannot load as a tfjs Layers model: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const notes: string[] = [];
  const [input] = model.inputs;
  const last = model.layers.at(-1);
  const [output] = model.outputs;
  if (!input || !last || !output)
    throw new Error(`${path.join(dir, 'model.json')}: the model has no input, layer or output`);
  const inputShape = input.shape;
  const lastConfig = last.getConfig() as { activation?: string };
  const outputs = (output.shape[1] ?? 0) as number;
  const classes = await classList(dir, outputs, fallback);
  let featureModel: tf.LayersModel | null = null;
  let kernel: tf.Tensor2D | null = null;
  let bias: tf.Tensor1D | null = null;
  if (last.getClassName() === 'Dense') {
    const ws = last.getWeights();
    kernel = ws[0] as tf.Tensor2D;
    bias = (ws[1] as tf.Tensor1D | undefined) ?? null;
    featureModel = tf.model({ inputs: model.inputs, outputs: last.input as tf.SymbolicTensor });
    notes.push(`features: input of the final Dense layer (${kernel.shape[0]}-d); logits recomputed from its kernel`);
  } else {
    notes.push(`the last layer is ${last.getClassName()}, not Dense: its output stands in for logits and features`);
  }
  const dim = kernel ? kernel.shape[0] : outputs;
  const softmaxOut = lastConfig.activation === 'softmax' || last.getClassName() === 'Softmax';
  const classifier: Classifier = {
    classes,
    embeddingDim: dim,
    forward(x) {
      const input = adaptInput(x, inputShape);
      if (featureModel && kernel) {
        const features = featureModel.predict(input) as tf.Tensor2D;
        const logits = bias ? tf.add(tf.matMul(features, kernel), bias) : tf.matMul(features, kernel);
        return { logits: logits as tf.Tensor2D, features };
      }
      const out = model.predict(input) as tf.Tensor2D;
      const logits = softmaxOut ? tf.log(tf.add(out, 1e-12)) : out;
      return { logits: logits as tf.Tensor2D, features: logits as tf.Tensor2D };
    },
    dispose() {
      model.dispose();
    },
  };
  return { classifier, kind: 'layers', notes };
}

async function loadSaved(dir: string, fallback: readonly string[]): Promise<LoadedUserModel> {
  const metas = await tf.node.getMetaGraphsFromSavedModel(dir);
  const meta = metas.find((m) => m.tags.includes('serve')) ?? metas[0];
  if (!meta) throw new Error(`${dir}: the SavedModel has no MetaGraph`);
  const sigName = meta.signatureDefs.serving_default ? 'serving_default' : Object.keys(meta.signatureDefs)[0];
  const sig = sigName === undefined ? undefined : meta.signatureDefs[sigName];
  if (sigName === undefined || !sig) throw new Error(`${dir}: the SavedModel has no signature`);
  const inputs = Object.values(sig.inputs);
  const [input] = inputs;
  if (inputs.length !== 1 || !input)
    throw new Error(`${dir}: expected a single image input, the signature has ${inputs.length}`);
  const outNames = Object.keys(sig.outputs);
  const logitName = outNames.find((n) => /logit/i.test(n));
  const featName = outNames.find((n) => /embed|feature|penultimate/i.test(n));
  const probName = logitName ?? outNames.find((n) => n !== featName) ?? outNames[0];
  if (probName === undefined) throw new Error(`${dir}: the SavedModel signature '${sigName}' has no outputs`);
  const saved = await tf.node.loadSavedModel(dir, meta.tags, sigName);
  // tfjs-node parses the signature's dimensions into objects that only convert to numbers
  // (-1 for "any"), whatever its typings say.
  const inputShape = (input.shape as unknown[]).map((d) => {
    const v = Number(d);
    return Number.isInteger(v) && v >= 0 ? v : null;
  });
  // predict() gives one tensor per output in the order of `saved.outputs`, named by tensor
  // ('PartitionedCall:1'), not by the signature's keys ('logits'): match them by tensor name.
  const tensorName = (n: string) => n.replace(/:0$/, '');
  const keyOf = (name: string) =>
    outNames.includes(name) ? name : outNames.find((k) => tensorName(sig.outputs[k]?.name ?? '') === tensorName(name));
  const run = (x: tf.Tensor): { probs: tf.Tensor; feats: tf.Tensor | null } => {
    const out = saved.predict(adaptInput(x, inputShape)) as tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;
    const entries: [string, tf.Tensor][] =
      out instanceof tf.Tensor
        ? [[probName, out]]
        : Array.isArray(out)
          ? out.map((t, i) => [saved.outputs[i]?.name ?? '', t])
          : Object.entries(out);
    const map = new Map<string, tf.Tensor>();
    for (const [name, t] of entries) {
      const key = keyOf(name);
      if (key) map.set(key, t);
    }
    const output = (need: string) => {
      const t = map.get(need);
      if (!t) throw new Error(`${dir}: the SavedModel did not return its output '${need}'`);
      return t;
    };
    return { probs: output(probName), feats: featName ? output(featName) : null };
  };
  const probe = tf.tidy(() => {
    const { probs, feats } = run(tf.zeros([2, IMAGE_SIZE, IMAGE_SIZE, 1]) as tf.Tensor4D);
    return { outputs: probs.shape[1] ?? 0, featDim: feats?.shape[1] ?? 0 };
  });
  const classes = await classList(dir, probe.outputs, fallback);
  const notes = [
    `SavedModel signature '${sigName}': logits from output '${probName}'${logitName ? '' : ' (log-probabilities when it is a softmax)'}`,
    featName ? `features from output '${featName}'` : 'no feature output: the logit vector stands in for features',
  ];
  const classifier: Classifier = {
    classes,
    embeddingDim: featName ? probe.featDim : probe.outputs,
    forward(x) {
      const { probs, feats } = run(x);
      const raw = probs as tf.Tensor2D;
      const logits = !logitName && looksLikeProbabilities(raw) ? (tf.log(tf.add(raw, 1e-12)) as tf.Tensor2D) : raw;
      return { logits, features: feats ? (feats as tf.Tensor2D) : logits };
    },
    dispose() {
      saved.dispose();
    },
  };
  return { classifier, kind: 'savedmodel', notes };
}
