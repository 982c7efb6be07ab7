// The engine's state and operations, as run inside the worker thread: the opened samples,
// the current model and the last scores. Kept free of worker plumbing so it can be driven
// directly (the CLI and benchmarks do, off any UI event loop).
import { createHash } from 'node:crypto';
import path from 'node:path';
import type {
  EngineProgress,
  EngineSample,
  OpenResult,
  OpenSpec,
  ScoreOptions,
  ScoreTable,
  TrainRequest,
  TrainResult,
} from '../engine-client.js';
import { assertTrainable, loadDataset, loadDemo } from '../datasets/index.js';
import { decodeBatchToGrey28 } from '../datasets/image-decode.js';
import { normaliseAll } from '../datasets/normalise.js';
import { DatasetError, PIXELS_PER_IMAGE, type LoadedDataset } from '../types.js';
import { backendInfo, tf, type BackendInfo } from '../model/tf.js';
import { saveCheckpoint } from '../model/checkpoint.js';
import { CnnClassifier } from '../model/cnn.js';
import { ExactCosineIndex } from '../embeddings/knn-index.js';
import {
  trainModel,
  dataHashOf,
  resolveTrainOptions,
  evaluateAccuracy,
  HOLD_OUT_FRACTION,
  type ModelState,
} from '../pipeline/train-model.js';
import { stratifiedHoldOut } from '../pipeline/holdout.js';
import { classMismatch, loadUserModel } from '../model/user-model.js';
import type { Classifier } from '../model/classifier.js';
import { buildScoreTable, type ScoreResult } from '../pipeline/score-table.js';
import { labelIssuesFor, outOfFoldLabelIssues } from '../pipeline/label-check.js';
import type { LabelIssues } from '../scores/index.js';
import { shippedDemoModelDir } from '../pipeline/shipped-model.js';
import { loadScoreCache, saveScoreCache } from '../pipeline/score-cache.js';

type Progress = (p: EngineProgress) => void;

interface Opened {
  samples: EngineSample[];
  classes: string[];
  pixels: Uint8Array;
  projectDir: string;
  seed?: number;
  /** Opened the built-in demo (the only dataset a shipped model exists for). */
  demo: boolean;
}

export class EngineCore {
  private opened: Opened | null = null;
  private model:
    | (Omit<ModelState, 'classifier'> & {
        classifier: Classifier;
        labels: (string | null)[];
        epochs?: number;
        seed?: number;
      })
    | null = null;
  private scored: ScoreResult | null = null;
  private poolIndex: { index: ExactCosineIndex; rows: Int32Array; modelVersion: string } | null = null;
  /** Out-of-fold label issues, keyed by the labels they judged. */
  /** The last label check's verdicts, with the labels it judged. */
  private labelIssues: { labels: (string | null)[]; issues: LabelIssues } | null = null;

  /**
   * @param allocate makes the pixel buffer; the worker passes a SharedArrayBuffer allocator
   * so the main side sees the pixels without a copy.
   * @param shippedDir the shipped demo model's folder; default resources/demo-model (see
   * shippedDemoModelDir), null for none.
   */
  constructor(
    private readonly allocate: (bytes: number) => Uint8Array = (n) => new Uint8Array(n),
    private readonly shippedDir?: string | null,
  ) {}

  async open(spec: OpenSpec, onProgress: Progress): Promise<OpenResult> {
    const report = (phase: string, fraction: number, message: string) =>
      onProgress({ task: 'open', phase, fraction, message });
    let train: LoadedDataset;
    let pool: LoadedDataset | null = null;
    if (!spec.train && !spec.pool) {
      report('demo', 0, 'Building the demo (MNIST digits plus distractors)');
      const demo = await loadDemo({ seed: spec.seed });
      train = demo.train;
      pool = demo.pool;
    } else {
      if (!spec.train)
        throw new DatasetError('A labeled training dataset is needed to train the model (only a pool was given)');
      const trainPath = spec.train;
      const checks = { limits: spec.limits, strict: spec.strict };
      train = await loadDataset(trainPath, {
        ...checks,
        onProgress: (d, t) => report('train', t ? (0.5 * d) / t : 0, `Reading ${trainPath}: ${d}/${t}`),
      });
      assertTrainable(train);
      if (spec.pool) {
        const poolPath = spec.pool;
        pool = await loadDataset(poolPath, {
          ...checks,
          onProgress: (d, t) => report('pool', 0.5 + (t ? (0.5 * d) / t : 0), `Reading ${poolPath}: ${d}/${t}`),
        });
      }
    }
    const nTrain = train.samples.length;
    const nPool = pool?.samples.length ?? 0;
    const pixels = this.allocate((nTrain + nPool) * PIXELS_PER_IMAGE);
    pixels.set(train.pixels, 0);
    if (pool) pixels.set(pool.pixels, nTrain * PIXELS_PER_IMAGE);
    const samples: EngineSample[] = [
      ...train.samples.map((s) => ({ ...s, split: 'train' as const })),
      ...(pool?.samples ?? []).map((s) => ({ ...s, split: 'pool' as const })),
    ];
    this.disposeModel();
    this.labelIssues = null;
    this.opened = {
      samples,
      classes: train.classes,
      pixels,
      projectDir: spec.projectDir,
      seed: spec.seed,
      demo: !spec.train && !spec.pool,
    };
    report('done', 1, `Opened ${nTrain} training and ${nPool} pool samples`);
    const roots = [...new Set([train.root, pool?.root ?? ''].filter((r) => r !== ''))];
    return {
      samples,
      classes: train.classes,
      pixels,
      roots,
      duplicates: [...train.duplicates, ...(pool?.duplicates ?? [])],
      skipped: [
        ...train.skipped.map((s) => ({ ...s, split: 'train' as const })),
        ...(pool?.skipped ?? []).map((s) => ({ ...s, split: 'pool' as const })),
      ],
    };
  }

  async train(req: TrainRequest, onProgress: Progress, signal: AbortSignal): Promise<TrainResult> {
    const o = this.requireOpen();
    if (req.labels.length !== o.samples.length) {
      throw new Error(`train: labels has ${req.labels.length} entries for ${o.samples.length} samples`);
    }
    const epochs = req.epochs;
    const seed = req.seed ?? o.seed;
    onProgress({ task: 'train', phase: 'start', fraction: 0, message: 'Preparing training data' });
    const shipped =
      req.useShipped && o.demo ? (this.shippedDir !== undefined ? this.shippedDir : shippedDemoModelDir()) : null;
    const state = await trainModel(
      {
        ids: o.samples.map((s) => s.id),
        pixels: o.pixels,
        labels: req.labels,
        knownClasses: o.classes,
        epochs,
        seed,
        projectDir: o.projectDir,
        shipped,
        onNote: (message) => {
          // The log says why a first launch trains after all (e.g. a stale shipped model).
          console.warn(`unsure engine: ${message}`);
          onProgress({ task: 'train', phase: 'training', fraction: 0, message });
        },
      },
      (p) =>
        onProgress({
          task: 'train',
          phase: 'training',
          fraction: p.fraction,
          epoch: p.epoch,
          epochs: p.epochs,
          loss: p.loss,
          accuracy: p.accuracy,
          samplesPerSec: p.samplesPerSec,
          etaSec: p.etaSec,
          message: `Epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batches}: loss ${p.loss.toFixed(3)}, accuracy ${(100 * p.accuracy).toFixed(1)}%`,
        }),
      signal,
    );
    // Only a finished training replaces the model: a cancel or failure above threw first.
    this.disposeModel();
    this.model = { ...state, labels: [...req.labels], epochs, seed };
    onProgress({
      task: 'train',
      phase: 'done',
      fraction: 1,
      message:
        state.source === 'shipped'
          ? 'Using the shipped demo model'
          : state.cached
            ? 'Reused the saved model'
            : 'Training finished',
    });
    if (state.source === 'shipped') console.log(`unsure engine: using the shipped demo model (${state.modelVersion})`);
    return {
      modelVersion: state.modelVersion,
      classes: state.classes,
      heldOutAccuracy: state.heldOutAccuracy,
      cached: state.cached,
      source: state.source,
    };
  }

  /**
   * Makes a model trained elsewhere the current model (CLI --model). Its kNN reference and
   * calibration set come from the given labels exactly as for a model trained here.
   */
  async useModel(
    dir: string,
    labels: (string | null)[],
  ): Promise<{ classes: string[]; notes: string[]; heldOutAccuracy: number }> {
    const o = this.requireOpen();
    const loaded = await loadUserModel(dir, o.classes);
    // Refused before any scoring: outputs are matched to the dataset's labels by name.
    const mismatch = classMismatch(loaded.classifier.classes, labels);
    if (mismatch) {
      loaded.classifier.dispose();
      throw new DatasetError(`Model ${path.resolve(dir)}: ${mismatch}`);
    }
    const seed = o.seed ?? resolveTrainOptions().seed;
    const split = stratifiedHoldOut(labels, HOLD_OUT_FRACTION, seed);
    const modelVersion = `user-${createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12)}`;
    const heldOutAccuracy = await evaluateAccuracy(loaded.classifier, o.pixels, labels, split.heldOut);
    this.disposeModel();
    this.model = {
      classifier: loaded.classifier,
      classes: loaded.classifier.classes,
      modelVersion,
      trainIndices: split.train,
      heldOutIndices: split.heldOut,
      heldOutAccuracy,
      cached: true,
      source: 'project',
      labels: [...labels],
      seed,
    };
    return { classes: loaded.classifier.classes, notes: loaded.notes, heldOutAccuracy };
  }

  /**
   * Scores every sample, or with `firstPass` the pool and held-out samples first (the rest
   * pending, see ScoreTable.scored); a following call completes what an earlier pass left.
   */
  async score(onProgress: Progress, options: ScoreOptions = {}): Promise<ScoreTable> {
    const o = this.requireOpen();
    const m = this.requireModel();
    const li = this.labelIssues;
    const labelIssues = li ? labelIssuesFor(li.labels, li.issues, m.labels) : null;
    const ids = o.samples.map((s) => s.id);
    // A model loaded from a user folder may change behind the same name: never cached.
    const cacheable = !m.modelVersion.startsWith('user-');
    const fresh = !this.scored || this.scored.table.modelVersion !== m.modelVersion;
    const cached = fresh && cacheable ? await loadScoreCache(o.projectDir, m.modelVersion, ids) : null;
    const result = await buildScoreTable(
      {
        classifier: m.classifier,
        pixels: o.pixels,
        labels: m.labels,
        trainIndices: m.trainIndices,
        heldOutIndices: m.heldOutIndices,
        modelVersion: m.modelVersion,
        labelIssues,
        reuse: this.scored,
        cached,
        knownDistances: m.knownDistances ?? null,
        firstRows: options.firstPass
          ? Int32Array.from(o.samples.flatMap((smp, i) => (smp.split === 'pool' ? [i] : [])))
          : null,
      },
      (phase, fraction, message) => onProgress({ task: 'score', phase, fraction, message }),
    );
    // The first complete scoring of a model is saved, so the next launch skips embedding
    // and the neighbour search. A failure to save costs only that.
    const wasComplete = this.scored?.table.modelVersion === m.modelVersion && !this.scored.table.scored;
    if (cacheable && !cached && !result.table.scored && !wasComplete) {
      try {
        await saveScoreCache(o.projectDir, m.modelVersion, ids, {
          logits: result.logits,
          embeddings: result.embeddings,
          dim: result.dim,
          lowLevel: result.lowLevel,
          lowLevelDim: result.lowLevelDim,
          mcDisagreement: result.mcDisagreement,
          neighbours: result.table.neighbours,
          neighbourSims: result.table.neighbourSims,
          k: result.table.k,
        });
      } catch (err) {
        console.warn(`unsure engine: could not save the scores for the next launch: ${(err as Error).message}`);
      }
    }
    this.scored = result;
    this.poolIndex?.index.dispose();
    this.poolIndex = null;
    return result.table;
  }

  async labelCheck(labels: (string | null)[], onProgress: Progress, signal: AbortSignal): Promise<Float32Array> {
    const o = this.requireOpen();
    if (labels.length !== o.samples.length)
      throw new Error(`labelCheck: labels has ${labels.length} entries for ${o.samples.length} samples`);
    const opts = resolveTrainOptions(this.model?.epochs, this.model?.seed ?? o.seed);
    const issues = await outOfFoldLabelIssues(
      {
        ids: o.samples.map((s) => s.id),
        pixels: o.pixels,
        labels,
        knownClasses: o.classes,
        epochs: opts.epochs,
        seed: opts.seed,
      },
      (phase, fraction, message, extra) =>
        onProgress({
          task: 'labelcheck',
          phase,
          fraction,
          message,
          // The fold's own training fraction must not replace the whole check's.
          epoch: extra?.epoch,
          epochs: extra?.epochs,
          loss: extra?.loss,
          accuracy: extra?.accuracy,
          samplesPerSec: extra?.samplesPerSec,
        }),
      signal,
    );
    this.labelIssues = { labels: [...labels], issues };
    return issues.scores;
  }

  async similar(index: number, k: number): Promise<number[]> {
    const o = this.requireOpen();
    const s = this.scored;
    if (!s) throw new Error('similar: score the samples first');
    if (!Number.isInteger(index) || index < 0 || index >= o.samples.length)
      throw new Error(`similar: no sample ${index}`);
    if (!this.poolIndex || this.poolIndex.modelVersion !== s.table.modelVersion) {
      this.poolIndex?.index.dispose();
      const rows = Int32Array.from(o.samples.flatMap((smp, i) => (smp.split === 'pool' ? [i] : [])));
      if (rows.length === 0) return [];
      const vecs = new Float32Array(rows.length * s.dim);
      rows.forEach((r, j) => vecs.set(s.embeddings.subarray(r * s.dim, (r + 1) * s.dim), j * s.dim));
      this.poolIndex = { index: new ExactCosineIndex(vecs, s.dim), rows, modelVersion: s.table.modelVersion };
    }
    const { index: idx, rows } = this.poolIndex;
    const self = o.samples[index].split === 'pool' ? rows.indexOf(index) : -1;
    const kk = Math.min(k, idx.size - (self >= 0 ? 1 : 0));
    if (kk <= 0) return [];
    const q = s.embeddings.slice(index * s.dim, (index + 1) * s.dim);
    const r = idx.search(q, kk, { excludeSelf: Int32Array.of(self) });
    return Array.from(r.indices, (j) => rows[j]);
  }

  async predictImage(
    bytes: Uint8Array,
  ): Promise<{ predicted: string; confidence: number; probs: number[]; classes: string[] }> {
    const m = this.requireModel();
    const px = new Uint8Array(PIXELS_PER_IMAGE);
    const failures = decodeBatchToGrey28([{ name: 'image', bytes }], px);
    if (failures.length) throw new DatasetError(`Cannot decode the image: ${failures[0].message}`);
    normaliseAll(px);
    const temperature = this.scored?.temperature ?? 1;
    const probs = tf.tidy(() => {
      const x = tf.tensor4d(
        Float32Array.from(px, (v) => v / 255),
        [1, 28, 28, 1],
      );
      return tf.softmax(tf.div(m.classifier.forward(x).logits, temperature)).dataSync() as Float32Array;
    });
    let best = 0;
    for (let c = 1; c < probs.length; c++) if (probs[c] > probs[best]) best = c;
    return { predicted: m.classes[best], confidence: probs[best], probs: Array.from(probs), classes: m.classes };
  }

  async saveModel(dir: string): Promise<void> {
    const o = this.requireOpen();
    const m = this.requireModel();
    const opts = resolveTrainOptions(m.epochs, m.seed ?? o.seed);
    if (!(m.classifier instanceof CnnClassifier))
      throw new Error('the current model was loaded from a user model folder; only models trained here can be saved');
    await saveCheckpoint(dir, m.classifier, {
      modelVersion: m.modelVersion,
      dataHash: dataHashOf(
        o.samples.map((s) => s.id),
        m.labels,
      ),
      seed: opts.seed,
      options: opts,
      heldOutAccuracy: m.heldOutAccuracy,
    });
  }

  backend(): BackendInfo {
    return backendInfo();
  }

  close(): void {
    this.disposeModel();
    this.opened = null;
  }

  private requireOpen(): Opened {
    if (!this.opened) throw new Error('no dataset is open');
    return this.opened;
  }

  private requireModel(): NonNullable<EngineCore['model']> {
    if (!this.model) throw new Error('no model yet: train first');
    return this.model;
  }

  private disposeModel(): void {
    this.model?.classifier.dispose();
    this.model = null;
    this.scored = null;
    this.poolIndex?.index.dispose();
    this.poolIndex = null;
  }
}
