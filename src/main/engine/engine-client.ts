// The engine as the main side's service sees it. All heavy work (decoding, training,
// embedding, scoring, kNN) happens behind this interface in a worker thread, so the
// event loop that serves the UI never blocks on TensorFlow.
import type {
  EngineProgress,
  OpenResult,
  OpenSpec,
  ScoreOptions,
  ScoreTable,
  TrainRequest,
  TrainResult,
  UsedModel,
  EmbeddingMap,
  PredictionRows,
} from './engine-types.js';

export interface EngineClient {
  open(spec: OpenSpec, onProgress: (p: EngineProgress) => void): Promise<OpenResult>;
  train(req: TrainRequest, onProgress: (p: EngineProgress) => void, signal: AbortSignal): Promise<TrainResult>;
  /**
   * Makes a model made elsewhere (a folder or file: tfjs, SavedModel, ONNX, an Unsure
   * checkpoint) the current model, with the preprocessing its folder declares; later trains
   * fit a head on its features.
   */
  useModel(dir: string, labels: (string | null)[], onProgress: (p: EngineProgress) => void): Promise<UsedModel>;
  /** Predictions made elsewhere as the current model. */
  usePredictions(
    rows: PredictionRows,
    labels: (string | null)[],
  ): Promise<{ classes: string[]; heldOutAccuracy: number }>;
  score(onProgress: (p: EngineProgress) => void, options?: ScoreOptions): Promise<ScoreTable>;
  /**
   * Out-of-fold label check (models that never saw the label they judge); slower, so it
   * runs after the first ranking and its column joins the queue when ready.
   */
  labelCheck(
    labels: (string | null)[],
    onProgress: (p: EngineProgress) => void,
    signal: AbortSignal,
  ): Promise<Float32Array>;
  /** At most `max` samples on the plane of their embeddings that spreads the classes most; null before any scoring. */
  embeddingMap(max: number): Promise<EmbeddingMap | null>;
  /** Pool samples nearest to sample `index` in embedding space, most similar first. */
  similar(index: number, k: number): Promise<number[]>;
  predictImage(
    bytes: Uint8Array,
  ): Promise<{ predicted: string; confidence: number; probs: number[]; classes: string[] }>;
  /** Saves the current model (weights, class list, provenance) into dir. */
  saveModel(dir: string): Promise<void>;
  backend(): Promise<{ backend: string; libtensorflow: string; tfjsNode: string }>;
  close(): Promise<void>;
}
