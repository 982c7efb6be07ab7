// Image sizes come from headers, read from real files of each format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImageHeaderError, pixelLimitProblem, readImageHeader } from '../../src/main/engine/datasets/image-header.js';
import { encodeGreyPng } from '../../src/main/engine/datasets/png.js';
import { tf } from '../../src/main/engine/model/tf.js';
import { bmpBytes, bombPng, GIF_1X1 } from './datasets-bad-files.js';
import { encodeImage } from './datasets-fixtures.js';

/** The decoder agrees with the header on a real file. */
function decodedSize(bytes: Uint8Array): [number, number] {
  const t = tf.node.decodeImage(bytes, 0, 'int32', false);
  const [h, w] = t.shape;
  t.dispose();
  return [w, h];
}

test('PNG, JPEG, GIF and BMP sizes are read from the header, as the decoder sees them', async () => {
  const png = encodeGreyPng(new Uint8Array(30 * 20), 30, 20);
  assert.deepEqual(readImageHeader(png), { format: 'PNG', width: 30, height: 20 });
  const jpeg = await encodeImage(new Uint8Array(17 * 45 * 3).fill(90), 17, 45, 3, 'jpeg');
  assert.deepEqual(readImageHeader(jpeg), { format: 'JPEG', width: 45, height: 17 });
  assert.deepEqual(decodedSize(jpeg), [45, 17]);
  assert.deepEqual(readImageHeader(GIF_1X1), { format: 'GIF', width: 1, height: 1 });
  assert.deepEqual(decodedSize(GIF_1X1), [1, 1]);
  const bmp = bmpBytes(7, 5);
  assert.deepEqual(readImageHeader(bmp), { format: 'BMP', width: 7, height: 5 });
  assert.deepEqual(decodedSize(bmp), [7, 5]);
});

test('a bomb is measured without inflating it, and is over the default limit', () => {
  const bomb = bombPng(20000, 20000);
  assert.ok(bomb.length < 1_000_000, `the bomb is ${bomb.length} bytes`);
  const header = readImageHeader(bomb);
  assert.deepEqual(header, { format: 'PNG', width: 20000, height: 20000 });
  assert.match(pixelLimitProblem(header, 100_000_000) ?? '', /20000 x 20000 pixels, over the 100-megapixel limit/);
  assert.equal(pixelLimitProblem({ format: 'JPEG', width: 6000, height: 4000 }, 100_000_000), null);
});

test('cut-off and foreign files are named as such', () => {
  const png = encodeGreyPng(new Uint8Array(28 * 28).fill(7), 28, 28);
  for (const cut of [10, 30, png.length - 5]) {
    assert.throws(
      () => readImageHeader(png.subarray(0, cut)),
      (e: Error) => e instanceof ImageHeaderError && /truncated or corrupt PNG/.test(e.message),
      `cut at ${cut}`,
    );
  }
  assert.throws(() => readImageHeader(new Uint8Array(0)), /empty file/);
  assert.throws(() => readImageHeader(Buffer.from('hello world')), /not a PNG, JPEG, GIF or BMP image/);
  assert.throws(() => readImageHeader(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)), /truncated or corrupt JPEG/);
});
