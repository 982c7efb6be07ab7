// Messages between the main side (engine-client-impl.ts) and the engine worker. Plain
// structured-cloneable data: typed arrays travel as transfers, pixels as a SharedArrayBuffer.
import type { EngineProgress } from '../engine-types.js';

export type EngineMethod =
  | 'open'
  | 'train'
  | 'useModel'
  | 'usePredictions'
  | 'score'
  | 'labelCheck'
  | 'embeddingMap'
  | 'similar'
  | 'predictImage'
  | 'saveModel'
  | 'backend'
  | 'settled';

export type ToWorker =
  { type: 'call'; id: number; method: EngineMethod; args: unknown[] } | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'progress'; id: number; progress: EngineProgress }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; name: string; message: string }
  | { type: 'ready' }
  | { type: 'fatal'; message: string };
