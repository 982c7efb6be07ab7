// The engine's current model and what is done with it besides scoring: making a model
// trained elsewhere the current one, predicting a single image, saving the weights.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { decodeBatchToGrey28 } from '../datasets/image-decode.js';
import { normaliseAll } from '../datasets/normalise.js';
import { tfDecodable } from '../datasets/photo-sharp.js';
import { errorMessage } from '../../../shared/api-errors.js';
import { DatasetError, DEFAULT_INPUT_LIMITS, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../types.js';
import { tf } from '../model/tf.js';
import { saveCheckpoint } from '../model/checkpoint.js';
import { CnnClassifier } from '../model/cnn.js';
import { HeadClassifier } from '../model/head-model.js';
import { saveHeadCheckpoint } from '../model/head-checkpoint.js';
import { headOptionsFor } from '../model/train-classifier.js';
import type { RowSource } from './train-head-model.js';
import { headProbsForImage } from './predict-photo.js';
import type { Classifier } from '../model/classifier.js';
import { classMismatch, loadUserModel } from '../model/user-model.js';
import { stratifiedHoldOut } from './holdout.js';
import type { ModelInputs } from '../model/inputs.js';
import { scaleBytes } from '../model/pixel-scale.js';
import {
  dataHashOf,
  evaluateAccuracy,
  HOLD_OUT_FRACTION,
  resolveTrainOptions,
  type ModelState,
} from './train-model.js';

/** A model with the labels it was trained (or judged) on and the options it was trained with. */
export type CurrentModel = Omit<ModelState, 'classifier'> & {
  classifier: Classifier;
  /** Rows this model is fed instead of the opened inputs (given rows: model/given-rows.ts). */
  inputs?: ModelInputs;
  /**
   * Its probabilities are out-of-sample already (imported predictions, cleanlab's interface):
   * the label check reads them instead of training fold models.
   */
  outOfSample?: boolean;
  labels: (string | null)[];
  epochs?: number;
  seed?: number;
};

/** What useModel needs of the open dataset. */
interface OpenedData {
  samples: readonly { id: string }[];
  classes: string[];
  inputs: ModelInputs;
  seed?: number;
}

/**
 * A model trained elsewhere (CLI --model) as the current model. Its kNN reference and
 * calibration set come from the given labels exactly as for a model trained here.
 */
export async function userModelAsCurrent(
  dir: string,
  labels: (string | null)[],
  o: OpenedData,
): Promise<{ model: CurrentModel; notes: string[] }> {
  if (o.inputs.kind !== 'pixels' || o.inputs.shape.channels !== 1 || o.inputs.shape.height !== IMAGE_SIZE)
    throw new DatasetError(
      `Model ${path.resolve(dir)} takes 28 x 28 grey digit-like images, and this dataset was opened as photos ` +
        '(colour or larger images): score it with --arch cnn, or with a model made for photos',
    );
  const loaded = await loadUserModel(dir, o.classes);
  // Refused before any scoring: outputs are matched to the dataset's labels by name.
  const mismatch = classMismatch(loaded.classifier.classes, labels);
  if (mismatch) {
    loaded.classifier.dispose();
    throw new DatasetError(`Model ${path.resolve(dir)}: ${mismatch}`);
  }
  const modelVersion = `user-${createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12)}`;
  const model = await judgedModel(loaded.classifier, o.inputs, labels, o.seed, modelVersion);
  return { model, notes: loaded.notes };
}

/**
 * A model made elsewhere as the current model, judged as one trained here would be: the same
 * held-out split gives its accuracy, its kNN reference and its calibration set.
 */
export async function judgedModel(
  classifier: Classifier,
  inputs: ModelInputs,
  labels: readonly (string | null)[],
  openSeed: number | undefined,
  modelVersion: string,
): Promise<CurrentModel> {
  const seed = openSeed ?? resolveTrainOptions().seed;
  const split = stratifiedHoldOut(labels, HOLD_OUT_FRACTION, seed);
  return {
    classifier,
    classes: classifier.classes,
    modelVersion,
    trainIndices: split.train,
    heldOutIndices: split.heldOut,
    heldOutAccuracy: await evaluateAccuracy(classifier, inputs, labels, split.heldOut),
    cached: true,
    source: 'project',
    labels: [...labels],
    seed,
  };
}

/**
 * One image (any format the loaders decode) classified, with the scoring's temperature. A
 * head (the backbone family) decodes it with the backbone's recipe and runs the backbone
 * first, so it needs the rowSource the engine opened; the CNN takes it as a 28 x 28 digit.
 */
export async function predictImage(
  m: CurrentModel,
  bytes: Uint8Array,
  temperature: number,
  rowSource?: RowSource | null,
): Promise<{ predicted: string; confidence: number; probs: number[]; classes: string[] }> {
  let probs: Float32Array;
  if (m.classifier instanceof HeadClassifier) {
    if (!rowSource)
      throw new Error('a head predicts from the backbone its rows came from (rowSource), and none is open');
    probs = await headProbsForImage(m.classifier, rowSource, bytes, temperature);
  } else {
    const px = new Uint8Array(PIXELS_PER_IMAGE);
    let decodable: Uint8Array;
    try {
      decodable = await tfDecodable(bytes, DEFAULT_INPUT_LIMITS.maxPixels);
    } catch (err) {
      throw new DatasetError(`Cannot decode the image: ${errorMessage(err)}`);
    }
    const failures = decodeBatchToGrey28([{ name: 'image', bytes: decodable }], px);
    const [failure] = failures;
    if (failure) throw new DatasetError(`Cannot decode the image: ${failure.message}`);
    normaliseAll(px);
    probs = tf.tidy(() => {
      const x = tf.tensor4d(scaleBytes(px, new Float32Array(px.length)), [1, 28, 28, 1]);
      return tf.softmax(tf.div(m.classifier.forward(x).logits, temperature)).dataSync() as Float32Array;
    });
  }
  // The first of the highest probabilities.
  let best = -1;
  let top = 0;
  probs.forEach((p, c) => {
    if (best < 0 || p > top) [best, top] = [c, p];
  });
  const predicted = m.classes[best];
  if (predicted === undefined)
    throw new Error(`the model gave ${probs.length} probabilities for ${m.classes.length} classes`);
  return { predicted, confidence: top, probs: Array.from(probs), classes: m.classes };
}

/**
 * Saves a model trained here (weights, class list, provenance) into dir: the CNN's
 * checkpoint, or a head's with the recipe and backbone id of the rows it was trained on
 * (`rowSource`, which a head needs), so the export says how images become its input.
 */
export async function saveCurrentModel(
  dir: string,
  m: CurrentModel,
  ids: readonly string[],
  openSeed: number | undefined,
  rowSource?: RowSource | null,
): Promise<void> {
  const opts = resolveTrainOptions(m.epochs, m.seed ?? openSeed, m.classifier.classes);
  if (m.classifier instanceof HeadClassifier) {
    if (!rowSource)
      throw new Error('a head is saved with the backbone its rows came from (rowSource), and none is open');
    await saveHeadCheckpoint(
      dir,
      m.classifier,
      {
        backboneId: rowSource.id,
        recipe: rowSource.recipe,
        options: headOptionsFor(opts),
        dataHash: dataHashOf(ids, m.labels),
      },
      { modelVersion: m.modelVersion, seed: opts.seed, heldOutAccuracy: m.heldOutAccuracy },
    );
    return;
  }
  if (!(m.classifier instanceof CnnClassifier))
    throw new Error('the current model was loaded from a user model folder; only models trained here can be saved');
  await saveCheckpoint(dir, m.classifier, {
    modelVersion: m.modelVersion,
    dataHash: dataHashOf(ids, m.labels),
    seed: opts.seed,
    options: opts,
    heldOutAccuracy: m.heldOutAccuracy,
  });
}
