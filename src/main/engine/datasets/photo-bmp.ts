// BMP, which libvips does not read, is decoded by TensorFlow's decoder (as the digits path
// does) and handed to sharp as raw pixels. tfjs-node is loaded only when a BMP turns up.
import { ImageHeaderError, pixelLimitProblem, readImageHeader } from './image-header.js';
import { decodeReason, PhotoRefusal } from './photo-reasons.js';

export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** The BMP's pixels, RGB or RGBA; throws PhotoRefusal for a bad or oversized file. */
export async function decodeBmp(bytes: Uint8Array, maxPixels: number): Promise<RawImage> {
  // The size comes from the header, so an image over the limit never reaches the decoder.
  try {
    const tooBig = pixelLimitProblem(readImageHeader(bytes), maxPixels);
    if (tooBig) throw new PhotoRefusal(tooBig);
  } catch (err) {
    if (err instanceof ImageHeaderError) throw new PhotoRefusal(err.message);
    throw err;
  }
  const { tf } = await import('../model/tf.js');
  let decoded: ReturnType<typeof tf.node.decodeBmp>;
  try {
    decoded = tf.node.decodeBmp(bytes, 0);
  } catch (err) {
    throw new PhotoRefusal(decodeReason(err, bytes));
  }
  try {
    const [height, width, channels] = decoded.shape;
    if (channels !== 3 && channels !== 4) throw new PhotoRefusal(`is a BMP with ${channels} channels`);
    return { data: Uint8Array.from(await decoded.data()), width, height, channels };
  } finally {
    decoded.dispose();
  }
}
