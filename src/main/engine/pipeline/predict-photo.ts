// One image through a head: decoded with the backbone's recipe (sharp), run through the
// backbone its rows came from, then the head. The digits path (current-model.ts
// predictImage) is unchanged; this one serves the backbone family.
import { decodePhoto, photoTargetOf } from '../datasets/photo-sharp.js';
import { PhotoRefusal } from '../datasets/photo-reasons.js';
import { loadBackbone, type Backbone } from '../model/backbone.js';
import type { HeadClassifier } from '../model/head-model.js';
import { tf } from '../model/tf.js';
import { DatasetError, DEFAULT_INPUT_LIMITS } from '../types.js';
import type { RowSource } from './train-head-model.js';

let shipped: Promise<Backbone> | null = null;

/** The shipped backbone, loaded once per process: each photo asked about would load it again. */
function shippedBackbone(): Promise<Backbone> {
  shipped ??= loadBackbone().catch((err: unknown) => {
    shipped = null;
    throw err;
  });
  return shipped;
}

/** Probabilities of every class for one encoded image, at the scoring's temperature. */
export async function headProbsForImage(
  head: HeadClassifier,
  source: RowSource,
  bytes: Uint8Array,
  temperature: number,
): Promise<Float32Array> {
  const backbone = await shippedBackbone();
  // A head means nothing on another network's features (the same check as its checkpoint).
  if (backbone.id !== source.id)
    throw new Error(`the head was trained on backbone ${source.id}, and ${backbone.id} is what loads now`);
  let pixels: Uint8Array;
  try {
    const decoded = await decodePhoto(bytes, [photoTargetOf(backbone.recipe)], DEFAULT_INPUT_LIMITS.maxPixels);
    pixels = decoded.outputs[0]!;
  } catch (err) {
    if (err instanceof PhotoRefusal) throw new DatasetError(`Cannot decode the image: the file ${err.message}`);
    throw err;
  }
  const { features } = await backbone.run(pixels, 1);
  if (!features) throw new Error('the backbone gave no features');
  return tf.tidy(() => {
    const x = tf.tensor2d(features, [1, features.length]);
    return tf.softmax(tf.div(head.forward(x).logits, temperature)).dataSync() as Float32Array;
  });
}
