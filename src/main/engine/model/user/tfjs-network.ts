// tfjs models from a model.json. A Layers model ending in Dense gives two outputs by
// construction: 'features', the input of that layer (the penultimate activations), and
// 'logits' recomputed from its kernel and bias, so a softmax activation does not hide them.
// A graph model is a black box whose outputs are found by name, like a SavedModel's.
import { pathToFileURL } from 'node:url';
import { tf } from '../tf.js';
import { normaliseDims, type Network, type NetOutput, type OutputRoles } from './network.js';

function runTf(fn: (x: tf.Tensor) => [string, tf.Tensor][]) {
  return (x: Float32Array, dims: number[]): Promise<Map<string, Float32Array>> => {
    const out = new Map<string, Float32Array>();
    tf.tidy(() => {
      for (const [name, t] of fn(tf.tensor(x, dims))) out.set(name, t.dataSync() as Float32Array);
    });
    return Promise.resolve(out);
  };
}

export async function loadLayersNetwork(file: string): Promise<Network> {
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(pathToFileURL(file).href);
  } catch (err) {
    throw new Error(`${file}: cannot load as a tfjs Layers model: ${(err as Error).message}`, { cause: err });
  }
  const [input] = model.inputs;
  const last = model.layers.at(-1);
  const [output] = model.outputs;
  if (model.inputs.length !== 1 || !input || !last || !output)
    throw new Error(`${file}: expected a model with one input and a last layer`);
  const dims = normaliseDims(input.shape);
  const outDims = normaliseDims(output.shape);
  // A model that starts by rescaling takes bytes: its input range is known.
  const first = model.layers.find((l) => l.getClassName() !== 'InputLayer');
  const takesBytes = first?.getClassName() === 'Rescaling';
  if (last.getClassName() === 'Dense') {
    const [kernel, bias] = last.getWeights() as [tf.Tensor2D, tf.Tensor1D | undefined];
    const featureModel = tf.model({ inputs: model.inputs, outputs: last.input as tf.SymbolicTensor });
    const outputs: NetOutput[] = [
      { name: 'logits', dims: outDims },
      { name: 'features', dims: [null, kernel.shape[0]] },
    ];
    return {
      format: 'layers',
      input: { name: input.name, dims },
      outputs,
      preferredLayout: 'NHWC',
      roles: { logits: 'logits', features: 'features' },
      takesBytes,
      notes: [`features: input of the final Dense layer (${kernel.shape[0]}-d); logits recomputed from its kernel`],
      run: runTf((x) => {
        const f = featureModel.predict(x) as tf.Tensor2D;
        const z = tf.matMul(f, kernel);
        return [
          ['features', f],
          ['logits', bias ? tf.add(z, bias) : z],
        ];
      }),
      dispose: () => model.dispose(),
    };
  }
  const cls = last.getClassName();
  const config = last.getConfig() as { activation?: string };
  const roles: OutputRoles = cls === 'Softmax' || config.activation === 'softmax' ? { probabilities: output.name } : {};
  return {
    format: 'layers',
    input: { name: input.name, dims },
    outputs: [{ name: output.name, dims: outDims }],
    preferredLayout: 'NHWC',
    roles,
    takesBytes,
    notes: [`the last layer is ${cls}, not Dense: the penultimate layer cannot be read off it`],
    run: runTf((x) => [[output.name, model.predict(x) as tf.Tensor]]),
    dispose: () => model.dispose(),
  };
}

export async function loadGraphNetwork(file: string): Promise<Network> {
  let model: tf.GraphModel;
  try {
    model = await tf.loadGraphModel(pathToFileURL(file).href);
  } catch (err) {
    throw new Error(`${file}: cannot load as a tfjs graph model: ${(err as Error).message}`, { cause: err });
  }
  const [input] = model.inputs;
  if (model.inputs.length !== 1 || !input)
    throw new Error(`${file}: expected one image input, the graph has ${model.inputs.length}`);
  const outputs: NetOutput[] = model.outputs.map((o) => ({ name: o.name, dims: normaliseDims(o.shape ?? []) }));
  const names = outputs.map((o) => o.name);
  return {
    format: 'graph',
    input: { name: input.name, dims: normaliseDims(input.shape ?? []) },
    outputs,
    preferredLayout: 'NHWC',
    roles: {},
    notes: ['tfjs graph model'],
    run: runTf((x) => {
      const res = model.execute(x, names);
      const ts = Array.isArray(res) ? res : [res];
      return ts.map((t, i) => [names[i]!, t]);
    }),
    dispose: () => model.dispose(),
  };
}
