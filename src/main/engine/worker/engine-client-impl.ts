// The main side of the engine: an EngineClient whose every call is a message to the engine
// worker. No TensorFlow here (nothing in this file imports it), so nothing on the main
// thread can block on training, scoring or decoding.
import { Worker } from 'node:worker_threads';
// Set here, on the main thread, where it reaches the process's environment: a worker's
// process.env is its own copy, which libtensorflow (loaded in the worker) never reads.
import '../model/tf-log-level.js';
import type { EngineClient } from '../engine-client.js';
import type { EngineProgress, OpenResult, ScoreTable, TrainResult, UsedModel, EmbeddingMap } from '../engine-types.js';
import type { BackendInfo } from '../../../shared/api.js';
import type { EngineMethod, FromWorker, ToWorker } from './protocol.js';

export interface CreateEngineOptions {
  /**
   * The built worker script (bundled app). By default the worker beside this module: when
   * running TypeScript sources, engine-worker-dev.mjs (registers tsx inside the worker, then
   * loads engine-worker.ts); otherwise engine-worker.js.
   */
  workerPath?: string | URL;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (p: EngineProgress) => void;
}

function defaultWorkerUrl(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './engine-worker-dev.mjs' : './engine-worker.js', import.meta.url);
}

export function createEngine(opts: CreateEngineOptions = {}): EngineClient {
  const worker = new Worker(opts.workerPath ?? defaultWorkerUrl());
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let dead: Error | null = null;
  // An idle engine must not keep a CLI process alive; a busy one must.
  worker.unref();

  const failAll = (err: Error) => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  worker.on('message', (msg: FromWorker) => {
    if (msg.type === 'ready') return;
    if (msg.type === 'fatal') return failAll(new Error(`engine worker failed: ${msg.message}`));
    const p = pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    pending.delete(msg.id);
    if (pending.size === 0) worker.unref();
    if (msg.type === 'result') p.resolve(msg.value);
    else {
      const err = new Error(msg.message);
      err.name = msg.name;
      p.reject(err);
    }
  });
  worker.on('error', (err) => failAll(new Error(`engine worker crashed: ${err.message}`)));
  worker.on('exit', (code) => {
    if (!dead) failAll(new Error(`engine worker exited (code ${code})`));
  });

  function call<T>(
    method: EngineMethod,
    args: unknown[],
    onProgress?: (p: EngineProgress) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        const e = new Error(`${method} cancelled`);
        e.name = 'AbortError';
        return reject(e);
      }
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      worker.ref();
      signal?.addEventListener('abort', () => worker.postMessage({ type: 'cancel', id } satisfies ToWorker), {
        once: true,
      });
      worker.postMessage({ type: 'call', id, method, args } satisfies ToWorker);
    });
  }

  return {
    open: (spec, onProgress) => call<OpenResult>('open', [spec], onProgress),
    train: (req, onProgress, signal) => call<TrainResult>('train', [req], onProgress, signal),
    useModel: (dir, labels, onProgress) => call<UsedModel>('useModel', [dir, labels], onProgress),
    usePredictions: (rows, labels) => call('usePredictions', [rows, labels]),
    score: (onProgress, options) => call<ScoreTable>('score', [options ?? {}], onProgress),
    labelCheck: (labels, onProgress, signal) => call<Float32Array>('labelCheck', [labels], onProgress, signal),
    embeddingMap: (max) => call<EmbeddingMap | null>('embeddingMap', [max]),
    similar: (index, k) => call<number[]>('similar', [index, k]),
    predictImage: (bytes) => call('predictImage', [bytes]),
    saveModel: (dir) => call<void>('saveModel', [dir]),
    backend: () => call<BackendInfo>('backend', []),
    close: async () => {
      // A score cache still being written is finished first (a training in flight is not).
      await call<void>('settled', []).catch(() => {});
      failAll(new Error('engine closed'));
      await worker.terminate();
    },
  };
}
