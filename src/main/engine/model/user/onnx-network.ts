// An ONNX model (the PyTorch user's route) run by onnxruntime-node on the CPU. Input and
// output shapes come from the session's metadata; symbolic dimensions ('batch') are open.
import * as ort from 'onnxruntime-node';
import { checkRegularFile } from '../../datasets/regular-file.js';
import { normaliseDims, type Network, type NetOutput } from './network.js';

// Protobuf's own limit; larger models keep their weights in external data files.
const ONNX_LIMIT = 2 * 1024 * 1024 * 1024;

export async function loadOnnxNetwork(file: string): Promise<Network> {
  try {
    await checkRegularFile(file, ONNX_LIMIT);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'] });
  } catch (err) {
    throw new Error(`${file}: cannot load as an ONNX model: ${(err as Error).message}`, { cause: err });
  }
  const inputs = session.inputMetadata;
  const [input] = inputs;
  if (inputs.length !== 1 || !input) {
    await session.release();
    throw new Error(
      `${file}: expected one image input, the model has ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`,
    );
  }
  if (!input.isTensor || input.type !== 'float32') {
    await session.release();
    throw new Error(`${file}: the input '${input.name}' must be a float32 tensor`);
  }
  const outputs: NetOutput[] = session.outputMetadata
    .filter((o) => o.isTensor)
    .map((o) => ({ name: o.name, dims: normaliseDims(o.isTensor ? [...o.shape] : []) }));
  return {
    format: 'onnx',
    input: { name: input.name, dims: normaliseDims([...input.shape]) },
    outputs,
    preferredLayout: 'NCHW',
    roles: {},
    notes: [`ONNX model run by onnxruntime ${ort.env.versions.common} on the CPU`],
    async run(x, dims) {
      const result = await session.run({ [input.name]: new ort.Tensor('float32', x, dims) });
      const out = new Map<string, Float32Array>();
      for (const o of outputs) {
        const t = result[o.name];
        if (!t || !(t.data instanceof Float32Array))
          throw new Error(`${file}: the output '${o.name}' is not a float32 tensor`);
        out.set(o.name, t.data);
      }
      return out;
    },
    dispose() {
      void session.release();
    },
  };
}
