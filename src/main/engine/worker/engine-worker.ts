// The engine worker's entry: every TensorFlow call of the app happens on this thread, so
// the main side's event loop (UI transport, IPC) never waits on training or scoring.
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { EngineProgress, OpenSpec, PredictionRows, ScoreOptions, TrainRequest } from '../engine-types.js';
import type { FromWorker, ToWorker } from './protocol.js';

if (!parentPort) throw new Error('engine-worker.ts must be started as a worker thread');
const port = parentPort;

// On Linux a nice value belongs to a thread, and threads inherit it from the thread that
// creates them. Lowering this thread's priority BEFORE TensorFlow loads makes TensorFlow's
// compute threads (created from here) yield the CPU to the main thread, so on a 2-core
// machine busy training, the UI's event loop is still scheduled at once. (On macOS and
// Windows the call would lower the whole process, main thread included: skipped there.)
if (process.platform === 'linux') {
  try {
    os.setPriority(0, 10);
  } catch {
    // Not permitted in some containers: the engine works the same, only less politely.
  }
}
const { Engine } = await import('../engine.js');

// Pixels live in shared memory: the main side reads them (image protocol, export) without
// a copy of what can be 50+ MB.
const core = new Engine((bytes) => new Uint8Array(new SharedArrayBuffer(bytes)));
const controllers = new Map<number, AbortController>();
// Calls that change or read the engine's state run one at a time, in order; a cancel
// reaches the running one through its AbortController between batches.
let queue: Promise<unknown> = Promise.resolve();

const post = (msg: FromWorker) => port.postMessage(msg);
const IMMEDIATE = new Set(['similar', 'embeddingMap', 'predictImage', 'backend', 'settled']);

function run(id: number, method: string, args: unknown[], signal: AbortSignal): Promise<unknown> {
  const progress = (p: EngineProgress) => post({ type: 'progress', id, progress: p });
  switch (method) {
    case 'open':
      return core.open(args[0] as OpenSpec, progress);
    case 'train':
      return core.train(args[0] as TrainRequest, progress, signal);
    case 'useModel':
      return core.useModel(args[0] as string, args[1] as (string | null)[], progress);
    case 'usePredictions':
      return core.usePredictions(args[0] as PredictionRows, args[1] as (string | null)[]);
    case 'score':
      return core.score(progress, args[0] as ScoreOptions | undefined);
    case 'labelCheck':
      return core.labelCheck(args[0] as (string | null)[], progress, signal);
    case 'embeddingMap':
      return core.embeddingMap(args[0] as number);
    case 'similar':
      return core.similar(args[0] as number, args[1] as number);
    case 'predictImage':
      return core.predictImage(args[0] as Uint8Array);
    case 'saveModel':
      return core.saveModel(args[0] as string);
    case 'backend':
      return Promise.resolve(core.backend());
    case 'settled':
      return core.settled();
    default:
      return Promise.reject(new Error(`unknown engine method ${method}`));
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'cancel') {
    controllers.get(msg.id)?.abort();
    return;
  }
  const { id, method, args } = msg;
  const controller = new AbortController();
  controllers.set(id, controller);
  const execute = async () => {
    try {
      if (controller.signal.aborted) throw Object.assign(new Error(`${method} cancelled`), { name: 'AbortError' });
      const value = await run(id, method, args, controller.signal);
      post({ type: 'result', id, value });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      post({ type: 'error', id, name: e.name, message: e.message });
    } finally {
      controllers.delete(id);
    }
  };
  // Quick reads run at once, between a training's batches, so "select similar" or a
  // dropped-in image does not wait for a retrain: they use the current model and scores
  // synchronously, and a training replaces those only when it has finished.
  if (IMMEDIATE.has(method)) void execute();
  else queue = queue.then(execute);
});

post({ type: 'ready' });
