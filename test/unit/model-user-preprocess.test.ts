// How a user's model is fed: Hugging Face preprocessing fields (from preprocessor_config.json
// or flags) to a Recipe, the input layout read from the model's shape, bytes to its floats,
// and which output gives the classes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inputGeometry } from '../../src/main/engine/model/user/network.js';
import { chooseOutputs } from '../../src/main/engine/model/user/outputs.js';
import { toModelInput } from '../../src/main/engine/model/user/pixels.js';
import { preprocessFromFlags } from '../../src/main/engine/model/user/preprocess-flags.js';
import { recipeFor, type PreprocessSpec } from '../../src/main/engine/model/user/preprocess.js';

const open = { height: null, width: null, channels: 3 as const };
const cfg = (spec: PreprocessSpec) => ({ spec, file: '/m/preprocessor_config.json' });

test('shortest_edge with a centre crop gives a crop recipe at the crop size, noting the difference', () => {
  const { recipe, notes } = recipeFor(
    '/m',
    '[?, 3, ?, ?]',
    open,
    cfg({
      size: { shortest_edge: 256 },
      do_center_crop: true,
      crop_size: { height: 224, width: 224 },
      do_rescale: true,
      rescale_factor: 1 / 255,
      do_normalize: true,
      image_mean: [0.485, 0.456, 0.406],
      image_std: [0.229, 0.224, 0.225],
    }),
    undefined,
  );
  assert.deepEqual(recipe.input, { height: 224, width: 224, channels: 3 });
  assert.equal(recipe.resize, 'crop');
  assert.deepEqual(recipe.mean, [0.485, 0.456, 0.406]);
  assert.ok(notes.some((n) => n.includes('shortest edge to 256 then crops 224 x 224')));
});

test('an int size stretches; one mean and std serve every channel; flags override the file; do_rescale false keeps bytes', () => {
  const { recipe } = recipeFor(
    '/m',
    '[?, ?, ?, 3]',
    open,
    cfg({ size: 64, image_mean: 0.5, image_std: 0.5, rescale_factor: 0.5 }),
    { rescale_factor: 1 / 255 },
  );
  assert.deepEqual(recipe.input, { height: 64, width: 64, channels: 3 });
  assert.equal(recipe.resize, 'stretch');
  assert.deepEqual(recipe.mean, [0.5, 0.5, 0.5]);
  assert.equal(recipe.rescale, 1 / 255);
  const bytes = recipeFor('/m', '[?, 8, 8, 3]', { height: 8, width: 8, channels: 3 }, null, { do_rescale: false });
  assert.equal(bytes.recipe.rescale, 1);
  assert.deepEqual(bytes.recipe.std, [1, 1, 1]);
});

test('declarations that cannot be used are refused, naming the file or the flags and the field', () => {
  assert.throws(
    () =>
      recipeFor('/m', '[?, 8, 8, 3]', { height: 8, width: 8, channels: 3 }, cfg({ image_mean: [0.5, 0.5] }), undefined),
    /preprocessor_config\.json: do_normalize needs both "image_mean" and "image_std"/,
  );
  assert.throws(
    () =>
      recipeFor('/m', '[?, 8, 8, 3]', { height: 8, width: 8, channels: 3 }, null, {
        image_mean: [0.5, 0.5],
        image_std: [1, 1],
      }),
    /the preprocessing flags: image_mean has 2 values but the model takes 3 channel/,
  );
  assert.throws(() => recipeFor('/m', '[?, 3, ?, ?]', open, cfg({ do_rescale: true }), undefined), /declare "size"/);
  assert.throws(
    () => recipeFor('/m', '[?, 3, ?, ?]', open, null, undefined),
    (err: Error) => err.message.includes('"size": {"height": H, "width": W}') && err.message.includes('--size HxW'),
  );
  assert.throws(() => recipeFor('/m', '[?]', open, cfg({ size: { wide: 3 } as never }), undefined), /size must be/);
  const digits = recipeFor('/m', '[?, 28, 28, 1]', { height: 28, width: 28, channels: 1 }, null, undefined);
  assert.equal(digits.recipe.digitLook, true);
});

test('the layout is read from the axis holding the channels; an ambiguous shape takes the framework convention', () => {
  assert.equal(inputGeometry([null, 3, 32, 32], 'NHWC', 'm').layout, 'NCHW');
  assert.equal(inputGeometry([null, 32, 32, 3], 'NCHW', 'm').layout, 'NHWC');
  assert.equal(inputGeometry([null, 3, 3, 3], 'NCHW', 'm').layout, 'NCHW');
  assert.equal(inputGeometry([null, 3, 3, 3], 'NHWC', 'm').layout, 'NHWC');
  assert.deepEqual(inputGeometry([1, 1, 20, 30], 'NHWC', 'm'), {
    layout: 'NCHW',
    height: 20,
    width: 30,
    channels: 1,
    flatLength: null,
    batch: 1,
  });
  assert.throws(
    () => inputGeometry([null, 5, 5, 5], 'NHWC', 'm.onnx'),
    /m\.onnx: input \[\?, 5, 5, 5\] is not an image/,
  );
  assert.equal(inputGeometry([null, 784], 'NHWC', 'm').height, 28);
});

test('bytes become (byte * rescale - mean) / std per channel, transposed for NCHW', () => {
  const r = {
    ...recipeFor('/m', '', { height: 1, width: 2, channels: 3 }, null, {
      rescale_factor: 0.1,
      image_mean: [0, 1, 2],
      image_std: [1, 2, 4],
    }).recipe,
  };
  const px = Uint8Array.from([10, 20, 30, 40, 50, 60]); // pixel 0 = (10, 20, 30), pixel 1 = (40, 50, 60)
  const nhwc = Array.from(toModelInput(px, 0, 1, r, 'NHWC'));
  const nchw = Array.from(toModelInput(px, 0, 1, r, 'NCHW'));
  const want = [1, 0.5, 0.25, 4, 2, 1]; // (1-0)/1, (2-1)/2, (3-2)/4, (4-0)/1, (5-1)/2, (6-2)/4
  nhwc.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-6, `nhwc ${i}`));
  const wantT = [1, 4, 0.5, 2, 0.25, 1];
  nchw.forEach((v, i) => assert.ok(Math.abs(v - wantT[i]!) < 1e-6, `nchw ${i}`));
});

test('two unnamed outputs are refused, asking for names; a lone output is probed for probabilities', () => {
  const outputs = [
    { name: 'out_a', dims: [null, 3] },
    { name: 'out_b', dims: [null, 3] },
  ];
  const probe = new Map([
    ['out_a', Float32Array.from([0.2, 0.3, 0.5, 1, 0, 0])],
    ['out_b', Float32Array.from([2, -1, 0, 3, 3, 3])],
  ]);
  assert.throws(
    () => chooseOutputs({ outputs, roles: {} }, probe, 2, 'm.onnx'),
    /m\.onnx: cannot tell which output .*'logits'/,
  );
  assert.equal(chooseOutputs({ outputs: [outputs[0]!], roles: {} }, probe, 2, 'm').probabilities, true);
  assert.equal(chooseOutputs({ outputs: [outputs[1]!], roles: {} }, probe, 2, 'm').probabilities, false);
});

test('the preprocessing flags give the Hugging Face fields, and bad values name the flag', () => {
  assert.equal(preprocessFromFlags({}), undefined);
  assert.deepEqual(
    preprocessFromFlags({
      size: '224x200',
      'rescale-factor': '0.00392',
      'image-mean': '0.5',
      'image-std': '0.5,0.4,0.3',
    }),
    { size: { height: 224, width: 200 }, rescale_factor: 0.00392, image_mean: [0.5], image_std: [0.5, 0.4, 0.3] },
  );
  assert.deepEqual(preprocessFromFlags({ 'crop-size': '32', 'no-rescale': true, 'no-normalize': true }), {
    crop_size: { height: 32, width: 32 },
    do_center_crop: true,
    do_rescale: false,
    do_normalize: false,
  });
  assert.throws(() => preprocessFromFlags({ size: 'big' }), /--size: expected HxW or N .* got 'big'/);
  assert.throws(() => preprocessFromFlags({ 'image-mean': '0.5,x' }), /--image-mean: expected a number/);
  assert.throws(
    () => preprocessFromFlags({ 'rescale-factor': '-1' }),
    /--rescale-factor: expected one positive number/,
  );
  // Flags alone declare a model: the recipe they give.
  const spec = preprocessFromFlags({ 'rescale-factor': String(1 / 255), 'image-mean': '0.5', 'image-std': '0.5' });
  const { recipe } = recipeFor('/m', '[?, 8, 8, 3]', { height: 8, width: 8, channels: 3 }, null, spec);
  assert.deepEqual([recipe.rescale, recipe.mean, recipe.std], [1 / 255, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]);
});
