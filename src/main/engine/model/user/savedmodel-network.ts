// A TensorFlow SavedModel run by the native binding: the 'serve' MetaGraph's serving_default
// signature (else its first), whose input and output names and shapes it declares.
import path from 'node:path';
import { tf } from '../tf.js';
import { normaliseDims, type Network, type NetOutput } from './network.js';

type MetaGraph = Awaited<ReturnType<typeof tf.node.getMetaGraphsFromSavedModel>>[number];

/** The MetaGraph and signature a SavedModel in `dir` is served by. */
export async function servingSignature(
  dir: string,
): Promise<{ meta: MetaGraph; sigName: string; sig: MetaGraph['signatureDefs'][string] }> {
  let metas: MetaGraph[];
  try {
    metas = await tf.node.getMetaGraphsFromSavedModel(dir);
  } catch (err) {
    throw new Error(`${dir}: cannot read as a TensorFlow SavedModel: ${(err as Error).message}`, { cause: err });
  }
  const meta = metas.find((m) => m.tags.includes('serve')) ?? metas[0];
  if (!meta) throw new Error(`${dir}: the SavedModel has no MetaGraph`);
  const sigName = meta.signatureDefs.serving_default ? 'serving_default' : Object.keys(meta.signatureDefs)[0];
  const sig = sigName === undefined ? undefined : meta.signatureDefs[sigName];
  if (sigName === undefined || !sig) throw new Error(`${dir}: the SavedModel has no signature`);
  return { meta, sigName, sig };
}

export async function loadSavedModelNetwork(file: string): Promise<Network> {
  const dir = path.dirname(file);
  const { meta, sigName, sig } = await servingSignature(dir);
  const inputs = Object.entries(sig.inputs);
  const [input] = inputs;
  if (inputs.length !== 1 || !input)
    throw new Error(`${dir}: expected one image input, the signature '${sigName}' has ${inputs.length}`);
  // tfjs-node parses dimensions into objects that only convert to numbers (-1 for "any").
  const outputs: NetOutput[] = Object.entries(sig.outputs).map(([name, t]) => ({
    name,
    dims: normaliseDims(t.shape as unknown[]),
  }));
  if (outputs.length === 0) throw new Error(`${dir}: the SavedModel signature '${sigName}' has no outputs`);
  const saved = await tf.node.loadSavedModel(dir, meta.tags, sigName);
  // predict() names its tensors by graph name ('StatefulPartitionedCall:1'), not by the
  // signature's keys: match them through the signature.
  const bare = (n: string) => n.replace(/:0$/, '');
  const keyOf = (name: string) =>
    outputs.find((o) => o.name === name || bare(sig.outputs[o.name]?.name ?? '') === bare(name))?.name;
  return {
    format: 'savedmodel',
    input: { name: input[0], dims: normaliseDims(input[1].shape as unknown[]) },
    outputs,
    preferredLayout: 'NHWC',
    roles: {},
    notes: [`SavedModel signature '${sigName}'`],
    run(x, dims) {
      const out = new Map<string, Float32Array>();
      tf.tidy(() => {
        const res = saved.predict(tf.tensor(x, dims)) as tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;
        const entries: [string, tf.Tensor][] =
          res instanceof tf.Tensor
            ? [[outputs[0]!.name, res]]
            : Array.isArray(res)
              ? res.map((t, i) => [saved.outputs[i]?.name ?? '', t])
              : Object.entries(res);
        for (const [name, t] of entries) {
          const key = keyOf(name);
          if (key) out.set(key, t.dataSync() as Float32Array);
        }
      });
      for (const o of outputs)
        if (!out.has(o.name)) throw new Error(`${dir}: the SavedModel did not return its output '${o.name}'`);
      return Promise.resolve(out);
    },
    dispose() {
      saved.dispose();
    },
  };
}
