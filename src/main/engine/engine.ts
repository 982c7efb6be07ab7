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
  UsedModel,
  EmbeddingMap,
  PredictionRows,
} from './engine-types.js';
import { openDatasets } from './datasets/open-datasets.js';
import { backendInfo, type BackendInfo } from './model/tf.js';
import { PoolIndex } from './embeddings/pool-index.js';
import { classPlane, mapRows } from './embeddings/projection.js';
import { trainModel, resolveTrainOptions } from './pipeline/train-model.js';
import { predictImage, saveCurrentModel, userModelAsCurrent, type CurrentModel } from './pipeline/current-model.js';
import { buildScoreTable, neighbourhoodOf, neighbourhoodOfEarlier, type ScoreResult } from './pipeline/score-table.js';
import type { EarlierNeighbours } from './pipeline/neighbour-carry.js';
import { labelIssuesFor, outOfFoldLabelIssues, sameLabels } from './pipeline/label-check.js';
import { keptLabelCheck, labelCheckKey, saveLabelCheck } from './pipeline/label-check-cache.js';
import { poolRows } from './pipeline/pool-rows.js';
import type { LabelIssues } from './scores/index.js';
import type { ModelInputs } from './model/inputs.js';
import { openedInputs, userModelRows } from './pipeline/extractor-rows.js';
import { loadUserExtractor } from './model/user/load.js';
import type { PreprocessSpec } from './model/user/preprocess.js';
import { adoptGivenRows, type GivenModelRows } from './pipeline/given-model.js';
import { givenLabelIssues } from './pipeline/given-label-issues.js';
import type { Recipe } from '../../shared/recipe.js';
import { createHash } from 'node:crypto';
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
  /** The open's samples with their files and stored images, for an extractor run later (useModel). */
  stored: Omit<OpenResult, 'recipe'>;
  recipe: Recipe;
  limits?: OpenSpec['limits'];
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
  /**
   * The last model's neighbours, from a training (which drops that model's scoring) until the
   * scoring after it (pipeline/neighbour-carry.ts); null otherwise.
   */
  private earlier: EarlierNeighbours | null = null;
  /** The "similar" search over the pool, built on the first query after a scoring. */
  private poolIndex: PoolIndex | null = null;
  /** The last label check's verdicts, with the labels it judged. */
  private labelIssues: { labels: (string | null)[]; issues: LabelIssues } | null = null;
  /**
   * The score cache a scoring writes after returning its table (score()). Every call that
   * changes the engine's state, and close(), waits for it first.
   */
  private saving: Promise<void> = Promise.resolve();

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
    await this.saving;
    const { result: opened, demo, keepPreviews } = await openDatasets(spec, this.allocate, onProgress);
    const { samples, classes } = opened;
    const { inputs, rowSource, recipe, notes } = await openedInputs(opened, spec, onProgress);
    await keepPreviews();
    const result: OpenResult = { ...opened, recipe, ...(notes.length ? { backboneNotes: notes } : {}) };
    this.disposeModel();
    this.labelIssues = null;
    const conflicts = conflictSamples(result.copies);
    this.opened = {
      samples,
      classes,
      inputs,
      rowSource,
      stored: opened,
      recipe: result.recipe,
      limits: spec.limits,
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
    await this.saving;
    const o = this.requireOpen();
    if (req.labels.length !== o.samples.length) {
      throw new Error(`train: labels has ${req.labels.length} entries for ${o.samples.length} samples`);
    }
    const epochs = req.epochs;
    const seed = req.seed ?? o.seed;
    onProgress({ task: 'train', phase: 'start', fraction: 0, message: 'Preparing training data' });
    const shipped = req.useShipped && o.demo ? this.shippedFolder() : null;
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
    const earlier = this.scored ? neighbourhoodOfEarlier(this.scored) : null;
    this.disposeModel();
    this.model = { ...state, labels: [...req.labels], epochs, seed };
    this.earlier = earlier;
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
    onProgress: Progress = () => {},
    preprocess?: PreprocessSpec,
  ): Promise<UsedModel> {
    await this.saving;
    const o = this.requireOpen();
    const ext = await loadUserExtractor(dir, { fallbackClasses: o.classes, preprocess });
    // An Unsure checkpoint keeps its own path: it is a CNN on the stored pixels, MC dropout and all.
    if (ext.format === 'unsure') {
      ext.dispose();
      const { model, notes } = await userModelAsCurrent(dir, labels, o);
      this.disposeModel();
      this.model = model;
      return { classes: model.classes, notes, heldOutAccuracy: model.heldOutAccuracy, recipe: o.recipe };
    }
    const given = await userModelRows(
      dir,
      ext,
      labels,
      o.stored,
      { projectDir: o.projectDir, limits: o.limits },
      onProgress,
    );
    const used = await this.adoptGivenRows(given, labels, false);
    return { ...used, notes: ext.notes, recipe: given.recipe };
  }

  /**
   * Scores with predictions made elsewhere (CLI --pred-probs): out-of-sample probabilities
   * and, when given, features per sample. The label check reads the probabilities as they are.
   */
  async usePredictions(
    rows: PredictionRows,
    labels: (string | null)[],
  ): Promise<{ classes: string[]; heldOutAccuracy: number }> {
    await this.saving;
    const o = this.requireOpen();
    const h = createHash('sha256');
    for (const a of [rows.logits, rows.features ?? new Float32Array(0)])
      h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const id = `given-${h.update(rows.classes.join('\n')).digest('hex').slice(0, 12)}`;
    return this.adoptGivenRows({ ...rows, id, recipe: o.recipe }, labels, true);
  }

  /** Rows computed before scoring as the current model; later retrains train a head on their features. */
  private async adoptGivenRows(
    g: GivenModelRows,
    labels: (string | null)[],
    outOfSample: boolean,
  ): Promise<{ classes: string[]; heldOutAccuracy: number }> {
    const o = this.requireOpen();
    if (labels.length !== o.samples.length)
      throw new Error(`labels has ${labels.length} entries for ${o.samples.length} samples`);
    const adopted = await adoptGivenRows(g, labels, o.seed, outOfSample);
    this.disposeModel();
    o.inputs = adopted.retrainInputs;
    o.rowSource = { id: g.id, recipe: g.recipe };
    o.recipe = g.recipe;
    this.model = adopted.model;
    return { classes: g.classes, heldOutAccuracy: adopted.model.heldOutAccuracy };
  }

  /**
   * Scores every sample, or with `firstPass` the pool's and the held-out samples first (the rest
   * pending, see ScoreTable.scored); a following call completes what an earlier pass left.
   */
  async score(onProgress: Progress, options: ScoreOptions = {}): Promise<ScoreTable> {
    await this.saving;
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
        inputs: m.inputs ?? o.inputs,
        labels: m.labels,
        trainIndices: m.trainIndices,
        heldOutIndices: m.heldOutIndices,
        modelVersion: m.modelVersion,
        labelIssues,
        reuse: this.scored,
        cached,
        earlier: this.earlier,
        knownDistances: m.knownDistances ?? null,
        firstRows: options.firstPass ? poolRows(o.samples, o.stored.copies) : null,
        // A pool's given labels are what the review checks, not what the model learnt from.
        reviewLabels: o.samples.map((s, i) => (s.split === 'pool' && m.labels[i] === null ? s.label : null)),
      },
      (phase, fraction, message) => onProgress({ task: 'score', phase, fraction, message }),
    );
    // The first complete scoring of a model is saved, so the next launch skips embedding
    // and the neighbour search. It is written after the table is returned (a retrain's table
    // came back 0.4-0.9 s later for it); a failure to save costs only that.
    const wasComplete = this.scored?.table.modelVersion === m.modelVersion && !this.scored.table.scored;
    if (cacheable && !cached && !result.table.scored && !wasComplete) {
      this.saving = saveScoreCache(o.projectDir, m.modelVersion, ids, neighbourhoodOf(result)).catch((err) =>
        console.warn(`unsure engine: could not save the scores for the next launch: ${(err as Error).message}`),
      );
    }
    flagConflicts(result.table, open);
    this.scored = result;
    this.earlier = null;
    this.poolIndex?.dispose();
    this.poolIndex = null;
    return result.table;
  }

  async labelCheck(labels: (string | null)[], onProgress: Progress, signal: AbortSignal): Promise<Float32Array> {
    await this.saving;
    const o = this.requireOpen();
    if (labels.length !== o.samples.length)
      throw new Error(`labelCheck: labels has ${labels.length} entries for ${o.samples.length} samples`);
    const m = this.model;
    if (m?.outOfSample && m.inputs && sameLabels(m.labels, labels)) {
      const issues = await givenLabelIssues(m.classifier, m.inputs, labels);
      this.labelIssues = { labels: [...labels], issues };
      return issues.scores;
    }
    const opts = resolveTrainOptions(this.model?.epochs, this.model?.seed ?? o.seed);
    const ids = o.samples.map((s) => s.id);
    // Only the CNN's view is averaged in (measured on MNIST); a head has seen its training
    // rows too closely, and given rows are not a model of the opened inputs at all.
    const view = m && !m.inputs && o.inputs.kind === 'pixels' && sameLabels(m.labels, labels) ? m : null;
    const key = labelCheckKey({
      ids,
      labels,
      knownClasses: o.classes,
      epochs: opts.epochs,
      seed: opts.seed,
      inputs: { recipe: o.recipe, rows: o.rowSource?.id ?? null },
      modelVersion: view?.modelVersion ?? null,
    });
    const kept = await keptLabelCheck(o.projectDir, o.demo ? this.shippedFolder() : null, key, ids.length);
    if (kept) {
      onProgress({ task: 'labelcheck', phase: 'done', fraction: 1, message: 'Label check kept from an earlier run' });
      this.labelIssues = { labels: [...labels], issues: kept };
      return kept.scores;
    }
    const issues = await outOfFoldLabelIssues(
      {
        ids,
        inputs: o.inputs,
        labels,
        knownClasses: o.classes,
        epochs: opts.epochs,
        seed: opts.seed,
        model: view?.classifier ?? null,
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
    // A failure to keep it costs only the next launch's check.
    this.saving = saveLabelCheck(o.projectDir, key, issues).catch((err) =>
      console.warn(`unsure engine: could not keep the label check for the next launch: ${(err as Error).message}`),
    );
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

  /** The map of the embedding space: at most `max` samples on the plane of their embeddings that spreads the classes most. */
  async embeddingMap(max: number): Promise<EmbeddingMap | null> {
    const o = this.requireOpen();
    const s = this.scored;
    if (!s) return null;
    const samples = mapRows(
      o.samples.map((smp) => smp.split),
      max,
    );
    // Grouped by the model's prediction: it is what the queue shows, and the pool has no labels.
    const group = Int32Array.from(samples, (i) => s.table.predicted[i]!);
    return { modelVersion: s.table.modelVersion, samples, ...classPlane(s.embeddings, s.dim, samples, group) };
  }

  async predictImage(
    bytes: Uint8Array,
  ): Promise<{ predicted: string; confidence: number; probs: number[]; classes: string[] }> {
    return predictImage(this.requireModel(), bytes, this.scored?.temperature ?? 1, this.opened?.rowSource);
  }

  async saveModel(dir: string): Promise<void> {
    await this.saving;
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

  /** Resolves once the score cache of the last scoring is written (or failed to be). */
  settled(): Promise<void> {
    return this.saving;
  }

  /** Waits for the score cache being written, then lets the model go. */
  async close(): Promise<void> {
    await this.saving;
    this.disposeModel();
    this.opened = null;
  }

  /** The shipped demo model's folder (the constructor's, or resources/demo-model), or null. */
  private shippedFolder(): string | null {
    return this.shippedDir !== undefined ? this.shippedDir : shippedDemoModelDir();
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
    this.earlier = null;
    this.poolIndex?.dispose();
    this.poolIndex = null;
  }
}
