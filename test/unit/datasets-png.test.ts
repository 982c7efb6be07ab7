import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-node';
import { encodeGreyPng, encodeRgbPng } from '../../src/main/engine/datasets/png.js';
import { Rng } from '../../src/main/engine/datasets/random.js';

function decode(png: Buffer): { shape: number[]; values: Uint8Array } {
  const t = tf.node.decodeImage(png, 0);
  try {
    return { shape: t.shape, values: Uint8Array.from(t.dataSync()) };
  } finally {
    t.dispose();
  }
}

describe('encodeGreyPng', () => {
  test('tfjs-node decodes a 28x28 image back to the same pixels, one grey channel', () => {
    const rng = new Rng(42);
    const pixels = Uint8Array.from({ length: 784 }, () => rng.int(256));
    const { shape, values } = decode(encodeGreyPng(pixels, 28, 28));
    assert.deepEqual(shape, [28, 28, 1]);
    assert.deepEqual(values, pixels);
  });

  test('non-square sizes keep rows and columns in place', () => {
    const pixels = Uint8Array.from({ length: 5 * 3 }, (_, i) => i * 17);
    const { shape, values } = decode(encodeGreyPng(pixels, 5, 3));
    assert.deepEqual(shape, [3, 5, 1]);
    assert.deepEqual(values, pixels);
  });

  test('a pixel count that does not match the size is refused', () => {
    assert.throws(() => encodeGreyPng(new Uint8Array(10), 28, 28), /10 pixels for a 28x28 image/);
    assert.throws(() => encodeGreyPng(new Uint8Array(0), 0, 0), /bad size/);
  });
});

describe('encodeRgbPng', () => {
  test('tfjs-node decodes a 7 x 5 image back to the same RGB bytes, three channels, rows in place', () => {
    const rng = new Rng(7);
    const rgb = Uint8Array.from({ length: 7 * 5 * 3 }, () => rng.int(256));
    const { shape, values } = decode(encodeRgbPng(rgb, 7, 5));
    assert.deepEqual(shape, [5, 7, 3]);
    assert.deepEqual(values, rgb);
  });

  test('a byte count that does not match the size is refused', () => {
    assert.throws(() => encodeRgbPng(new Uint8Array(28 * 28), 28, 28), /784 bytes for a 28x28 image/);
    assert.throws(() => encodeRgbPng(new Uint8Array(3), 1.5, 2), /bad size/);
  });
});
