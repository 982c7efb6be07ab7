// The grid's thumbnails and the detail panel's facts: a sample's place in its sheet at the
// stored shape, aspect kept; a file's own size in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thumbBox, THUMB_PX } from '../../src/renderer/src/grid/thumb.js';
import { modelFacts, nativeSize } from '../../src/renderer/src/queue/describe.js';

test('square stored images fill the thumbnail and step by its side', () => {
  const t = thumbBox(28 / 28, 3);
  assert.deepEqual(t, {
    width: THUMB_PX,
    height: THUMB_PX,
    backgroundSize: `${THUMB_PX}px auto`,
    backgroundPosition: `0 ${-3 * THUMB_PX}px`,
  });
});

test('wide and tall stored images keep their aspect, the longer side on the thumbnail', () => {
  const wide = thumbBox(48 / 64, 2);
  assert.deepEqual([wide.width, wide.height, wide.backgroundPosition], [THUMB_PX, 63, '0 -126px']);
  const tall = thumbBox(2, 1);
  assert.deepEqual([tall.width, tall.height, tall.backgroundSize], [THUMB_PX / 2, THUMB_PX, `${THUMB_PX / 2}px auto`]);
  assert.equal(thumbBox(Number.NaN, 0).width, THUMB_PX, 'a broken shape falls back to square');
});

test('a native size reads as width x height and the channels in words', () => {
  assert.equal(nativeSize({ width: 500, height: 375, channels: 3 }), '500 x 375, RGB');
  assert.equal(nativeSize({ width: 28, height: 28, channels: 1 }), '28 x 28, grey');
  assert.equal(nativeSize({ width: 9, height: 9, channels: 4 }), '9 x 9, RGBA or CMYK');
  assert.match(
    modelFacts({ arch: 'backbone', reason: 'Colour images', recipe: 'photo v1: 224' }),
    /^pretrained backbone \+ trained head: Colour images\nRecipe: photo v1: 224$/,
  );
});
