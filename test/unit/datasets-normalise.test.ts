import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { centreByMass, normaliseAll, normaliseLevels } from '../../src/main/engine/datasets/normalise.js';
import { compareNatural } from '../../src/main/engine/datasets/natural-sort.js';
import { Rng } from '../../src/main/engine/datasets/random.js';
import { centreOfMass, mnistDigit } from './datasets-fixtures.js';

describe('normaliseLevels', () => {
  test('MNIST digits are left exactly as they are', () => {
    for (const i of [0, 1, 2, 3]) {
      const img = mnistDigit(i).pixels;
      const copy = img.slice();
      assert.equal(normaliseLevels(copy), false);
      assert.deepEqual(copy, img);
    }
  });

  test('grey ink on light grey paper: inverted, background to 0, ink stretched to 255', () => {
    const digit = mnistDigit(0).pixels;
    // Ink at 60 on paper at 200.
    const img = Uint8Array.from(digit, (v) => Math.round(200 - (v / 255) * 140));
    assert.equal(normaliseLevels(img), true);
    assert.equal(img[0], 0);
    assert.equal(Math.max(...img), 255);
  });

  test('a blank page stays blank; a faint mark is brightened at most 4x', () => {
    const blank = new Uint8Array(784).fill(250);
    normaliseLevels(blank);
    assert.ok(blank.every((v) => v === 0));
    const faint = new Uint8Array(784);
    faint[14 * 28 + 14] = 20;
    normaliseLevels(faint);
    assert.equal(faint[14 * 28 + 14], 80);
  });
});

describe('centreByMass', () => {
  test('moves the centre of mass to the middle and never drops ink', () => {
    const img = new Uint8Array(784);
    for (let y = 2; y < 10; y++) for (let x = 1; x < 6; x++) img[y * 28 + x] = 200;
    const ink = img.reduce((a, v) => a + v, 0);
    centreByMass(img);
    const [cx, cy] = centreOfMass(img);
    assert.ok(Math.abs(cx - 14) <= 0.5 && Math.abs(cy - 14) <= 0.5, `${cx},${cy}`);
    assert.equal(
      img.reduce((a, v) => a + v, 0),
      ink,
    );
  });

  test('a shift that would push ink out of the frame is clamped', () => {
    const img = new Uint8Array(784);
    for (let y = 0; y < 28; y++) img[y * 28 + 0] = 255; // a full-height bar on the left edge
    img[27 * 28 + 27] = 255; // and a dot in the far corner: no vertical room, no horizontal room
    const before = img.slice();
    centreByMass(img);
    assert.deepEqual(img, before);
  });
});

describe('small helpers', () => {
  test('natural sort puts 2 before 10', () => {
    assert.deepEqual(['10', '2', 'other', '1', 'b', 'a10', 'a9'].sort(compareNatural), [
      '1',
      '2',
      '10',
      'a9',
      'a10',
      'b',
      'other',
    ]);
  });

  test('Rng is deterministic and sample() draws distinct values', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    assert.deepEqual(
      Array.from({ length: 5 }, () => a.float()),
      Array.from({ length: 5 }, () => b.float()),
    );
    const drawn = new Rng(1).sample(1000, 300);
    assert.equal(new Set(drawn).size, 300);
    assert.ok(drawn.every((v) => v >= 0 && v < 1000 && Number.isInteger(v)));
  });
});

describe('image size', () => {
  test('an image of another size, or a trailing part image, is refused instead of read as NaN', () => {
    // A short image used to give a NaN border mean (undefined pixels) and pass unchanged.
    assert.throws(() => normaliseLevels(new Uint8Array(700).fill(200)), /borderMean: 700 pixels/);
    assert.throws(() => centreByMass(new Uint8Array(783)), /centreByMass: 783 pixels/);
    assert.throws(() => normaliseAll(new Uint8Array(784 + 10)), /794 bytes is not a whole number/);
  });
});
