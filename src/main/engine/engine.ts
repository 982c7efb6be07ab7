// The engine: its state and operations (the opened samples, the current model, the last
// scores). The worker (worker/) runs it off the main thread; the CLI and benchmarks drive it
// directly. Free of worker plumbing and of electron.
import type {
  EngineProgress,
  EngineSample,
  OpenResult,
  OpenSpec,
  ScoreOptions,
  ScoreTable,
  TrainRequest,
  TrainResult,
} from './engine-types.js';
import { openDatasets } from './datasets/open-datasets.js';
import { backendInfo, type BackendInfo } from './model/tf.js';
import { PoolIndex } from './embeddings/pool-index.js';
import { trainModel, resolveTrainOptions } from './pipeline/train-model.js';
import { predictImage, saveCurrentModel, userModelAsCurrent, type CurrentModel } from './pipeline/current-model.js';
import { buildScoreTable, neighbourhoodOf, type ScoreResult } from './pipeline/score-table.js';
import { labelIssuesFor, outOfFoldLabelIssues, sameLabels } from './pipeline/label-check.js';
import type { LabelIssues } from './scores/index.js';
import type { ModelInputs } from './model/inputs.js';
import { DIGITS_RECIPE } from './datasets/digits-recipe.js';
import { extractBackboneRows } from './pipeline/backbone-rows.js';
import type { RowSource } from './pipeline/train-head-model.js';
import { shippedDemoModelDir } from './pipeline/shipped-model.js';
import { loadScoreCache, saveScoreCache } from './pipeline/score-cache.js';
import { conflictSamples, flagConflicts, openConflicts, withConflicts } from './pipeline/label-conflicts.js';

type Progress = (p: EngineProgress) => void;

interface Opened {
  samples: EngineSample[];
  classes: string[];
  /** What the model is fed, one row per sample (the CNN's pixels, or an extractor's rows). */
  inputs: ModelInputs;
  /** The extractor the rows came from, when they are feature rows. */
  rowSource: RowSource | null;
  /** Samples whose identical files were given different labels (label-conflicts.ts). */
  conflicts: Int32Array;
  projectDir: string;
  seed?: number;
  /** Opened the built-in demo (the only dataset a shipped model exists for). */
  demo: boolean;
}

export class Engine {
  private opened: Opened | null = null;
  private model: CurrentModel | null = null;
  private scored: ScoreResult | null = null;
  /** The "similar" search over the pool, built on the first query after a scoring. */
  private poolIndex: PoolIndex | null = null;
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
    const { result: opened, demo } = await openDatasets(spec, this.allocate, onProgress);
    const { samples, classes, pixels } = opened;
    const rows = opened.family.arch === 'backbone' ? await extractBackboneRows(opened, spec, onProgress) : null;
    const inputs: ModelInputs = rows ? rows.inputs : { kind: 'pixels', shape: opened.shape, data: pixels };
    const result: OpenResult = { ...opened, recipe: rows ? rows.source.recipe : DIGITS_RECIPE };
    this.disposeModel();
    this.labelIssues = null;
    const conflicts = conflictSamples(result.copies);
    this.opened = {
      samples,
      classes,
      inputs,
      rowSource: rows?.source ?? null,
      conflicts,
      projectDir: spec.projectDir,
      seed: spec.seed,
      demo,
    };
    const nPool = samples.filter((smp) => smp.split === 'pool').length;
    onProgress({
      task: 'open',
      phase: 'done',
      fraction: 1,
      message: `Opened ${samples.length - nPool} training and ${nPool} pool samples`,
    });
    return result;
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
        inputs: o.inputs,
        labels: req.labels,
        knownClasses: o.classes,
        epochs,
        seed,
        projectDir: o.projectDir,
        shipped,
        ...(o.rowSource ? { rowSource: o.rowSource } : {}),
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
    const { model, notes } = await userModelAsCurrent(dir, labels, this.requireOpen());
    this.disposeModel();
    this.model = model;
    return { classes: model.classes, notes, heldOutAccuracy: model.heldOutAccuracy };
  }

  /**
   * Scores every sample, or with `firstPass` the pool and held-out samples first (the rest
   * pending, see ScoreTable.scored); a following call completes what an earlier pass left.
   */
  async score(onProgress: Progress, options: ScoreOptions = {}): Promise<ScoreTable> {
    const o = this.requireOpen();
    const m = this.requireModel();
    const li = this.labelIssues;
    const ids = o.samples.map((s) => s.id);
    // A conflict no reviewer has settled is a label issue whatever the check says.
    const open = openConflicts(o.conflicts, m.labels);
    const labelIssues = withConflicts(li ? labelIssuesFor(li.labels, li.issues, m.labels) : null, open, ids.length);
    // A model loaded from a user folder may change behind the same name: never cached.
    const cacheable = !m.modelVersion.startsWith('user-');
    const fresh = !this.scored || this.scored.table.modelVersion !== m.modelVersion;
    const cached = fresh && cacheable ? await loadScoreCache(o.projectDir, m.modelVersion, ids) : null;
    const result = await buildScoreTable(
      {
        classifier: m.classifier,
        inputs: o.inputs,
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
        await saveScoreCache(o.projectDir, m.modelVersion, ids, neighbourhoodOf(result));
      } catch (err) {
        console.warn(`unsure engine: could not save the scores for the next launch: ${(err as Error).message}`);
      }
    }
    flagConflicts(result.table, open);
    this.scored = result;
    this.poolIndex?.dispose();
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
        inputs: o.inputs,
        labels,
        knownClasses: o.classes,
        epochs: opts.epochs,
        seed: opts.seed,
        model: this.model && sameLabels(this.model.labels, labels) ? this.model.classifier : null,
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
      this.poolIndex?.dispose();
      const rows = Int32Array.from(o.samples.flatMap((smp, i) => (smp.split === 'pool' ? [i] : [])));
      this.poolIndex = PoolIndex.build(s.embeddings, s.dim, rows, s.table.modelVersion);
      if (!this.poolIndex) return [];
    }
    return this.poolIndex.similar(s.embeddings, s.dim, index, k);
  }

  async predictImage(
    bytes: Uint8Array,
  ): Promise<{ predicted: string; confidence: number; probs: number[]; classes: string[] }> {
    return predictImage(this.requireModel(), bytes, this.scored?.temperature ?? 1, this.opened?.rowSource);
  }

  async saveModel(dir: string): Promise<void> {
    const o = this.requireOpen();
    const m = this.requireModel();
    await saveCurrentModel(
      dir,
      m,
      o.samples.map((s) => s.id),
      o.seed,
      o.rowSource,
    );
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

  private requireModel(): CurrentModel {
    if (!this.model) throw new Error('no model yet: train first');
    return this.model;
  }

  private disposeModel(): void {
    this.model?.classifier.dispose();
    this.model = null;
    this.scored = null;
    this.poolIndex?.dispose();
    this.poolIndex = null;
  }
}
