// Exporting a colour project: every original file (JPEG, PNG, one without an extension, a
// copy) is copied byte for byte, a sample without a file is written as a colour PNG of the
// stored shape, IDX is refused for colour with a reason, and a head is saved as the model
// with its recipe and backbone id. Real files written and read back with sharp.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import type { EngineSample, SplitCopyGroup } from '../../src/main/engine/engine-types.js';
import { exportDataset, MANIFEST_CSV } from '../../src/main/engine/export/export-dataset.js';
import { foldJournal, givenLabelsOf } from '../../src/shared/journal-fold.js';
import { bytesPerImage, type ImageShape } from '../../src/main/engine/types.js';
import { encodeStack } from '../../src/main/service/sample-media.js';
import { HeadClassifier, HeadModel } from '../../src/main/engine/model/head-model.js';
import { loadHeadCheckpoint } from '../../src/main/engine/model/head-checkpoint.js';
import { photoRecipe } from '../../src/main/engine/model/backbone.js';
import { saveCurrentModel, type CurrentModel } from '../../src/main/engine/pipeline/current-model.js';
import { parseCsv } from './export-fixtures.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-export-colour-'));
after(() => rmSync(root, { recursive: true, force: true }));
const trainRoot = path.join(root, 'train');
const poolRoot = path.join(root, 'pool');
const shape: ImageShape = { height: 6, width: 8, channels: 3 };

/** A 48 x 40 photo in one colour, as JPEG or PNG. */
async function photo(file: string, rgb: [number, number, number], format: 'jpeg' | 'png'): Promise<string> {
  mkdirSync(path.dirname(file), { recursive: true });
  const img = sharp({
    create: { width: 48, height: 40, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } },
  });
  writeFileSync(file, await (format === 'jpeg' ? img.jpeg({ quality: 80 }) : img.png()).toBuffer());
  return file;
}

/** Stored previews: sample i is an RGB ramp of its own. */
function previews(n: number): Uint8Array {
  const px = new Uint8Array(n * bytesPerImage(shape));
  for (let j = 0; j < px.length; j++) px[j] = (j * 13 + Math.floor(j / bytesPerImage(shape)) * 40) % 256;
  return px;
}

describe('exporting colour photos', async () => {
  const samples: EngineSample[] = [
    {
      id: 'aaaa1111',
      path: 'red/a.jpg',
      label: 'red',
      file: await photo(path.join(trainRoot, 'red/a.jpg'), [220, 30, 30], 'jpeg'),
      split: 'train',
    },
    {
      id: 'bbbb2222',
      path: 'blue/b.png',
      label: 'blue',
      file: await photo(path.join(trainRoot, 'blue/b.png'), [30, 30, 220], 'png'),
      split: 'train',
    },
    {
      id: 'cccc3333',
      path: 'c',
      label: null,
      file: await photo(path.join(poolRoot, 'c'), [30, 200, 30], 'jpeg'),
      split: 'pool',
    },
    { id: 'dddd4444', path: 'generated:0', label: null, file: null, split: 'pool' },
  ];
  const copy = await photo(path.join(poolRoot, 'a-again.jpg'), [0, 0, 0], 'jpeg');
  writeFileSync(copy, readFileSync(samples[0]!.file!));
  const copies: SplitCopyGroup[] = [
    {
      sample: 0,
      conflict: false,
      files: [
        { path: 'red/a.jpg', file: samples[0]!.file, label: 'red', at: 0, split: 'train' },
        { path: 'a-again.jpg', file: copy, label: null, at: 2, split: 'pool' },
      ],
    },
  ];
  const pixels = previews(samples.length);
  const fold = foldJournal([], givenLabelsOf(samples));
  const labels = samples.map((s) => s.label);
  const base = { samples, pixels, shape, decisions: fold.samples, labels, copies, sourceRoots: [trainRoot, poolRoot] };

  test('copies every original byte for byte and writes generated samples as colour PNGs', async () => {
    const dest = path.join(root, 'out');
    await exportDataset({ ...base, dest, sourceKind: ['folder', 'images'] });
    const rows = parseCsv(readFileSync(path.join(dest, MANIFEST_CSV), 'utf8'));
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    const body = rows.slice(1);
    assert.equal(body.length, 5, 'one row per file, the copy included');
    for (const r of body) {
      const source = r[col('source_file')];
      const out = readFileSync(path.join(dest, r[col('path')]!));
      if (source) assert.ok(out.equals(readFileSync(source)), `${r[col('path')]} is ${source}'s bytes`);
    }
    // The file without an extension is named by its content, not re-encoded.
    assert.deepEqual(readdirSync(path.join(dest, 'unlabeled')).sort(), ['cccc3333.jpg', 'dddd4444.png']);
    // The copy takes its sample's label.
    assert.deepEqual(readdirSync(path.join(dest, 'red')).sort(), ['aaaa1111-2.jpg', 'aaaa1111.jpg']);
    const gen = await sharp(readFileSync(path.join(dest, 'unlabeled', 'dddd4444.png')))
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([gen.info.width, gen.info.height, gen.info.channels], [8, 6, 3]);
    const per = bytesPerImage(shape);
    assert.ok(gen.data.equals(Buffer.from(pixels.subarray(3 * per, 4 * per))), 'the stored preview, exactly');
  });

  test('refuses IDX for colour images, naming both shapes, and writes nothing', async () => {
    const dest = path.join(root, 'out-idx');
    await assert.rejects(
      exportDataset({ ...base, dest, sourceKind: 'idx' }),
      /IDX files hold 28 x 28 grey images, and this project stores 6 x 8 RGB images/,
    );
    assert.throws(() => readdirSync(dest), /ENOENT/);
  });

  test('refuses pixels that do not hold the samples at the stored shape', async () => {
    await assert.rejects(
      exportDataset({ ...base, dest: path.join(root, 'out-bad'), pixels: pixels.subarray(1) }),
      /575 pixel bytes for 4 samples of 144 \(6 x 8 RGB\)/,
    );
  });

  test('a colour sheet is an RGB PNG of the stored width, the samples stacked', async () => {
    const png = encodeStack(pixels, shape, samples.length);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [8, 24, 3]);
    assert.ok(data.equals(Buffer.from(pixels)));
  });
});

test('a head is saved as the current model with its recipe and backbone id', async () => {
  const dim = 4;
  const hidden = 3;
  const w = {
    mean: new Float32Array(dim),
    std: new Float32Array(dim).fill(1),
    w1: Float32Array.from({ length: dim * hidden }, (_, i) => (i % 5) / 5 - 0.4),
    b1: new Float32Array(hidden),
    w2: Float32Array.from({ length: hidden * 2 }, (_, i) => (i % 3) / 3 - 0.3),
    b2: new Float32Array(2),
  };
  const classifier = new HeadClassifier(new HeadModel(dim, hidden, 2, 0.2, w), ['cat', 'dog'], 'hidden');
  const m: CurrentModel = {
    classifier,
    classes: ['cat', 'dog'],
    modelVersion: 'head-test',
    trainIndices: new Int32Array([0]),
    heldOutIndices: new Int32Array([1]),
    heldOutAccuracy: 0.5,
    cached: false,
    source: 'trained',
    labels: ['cat', 'dog'],
  };
  const recipe = photoRecipe(96);
  const dir = path.join(root, 'head-model');
  await assert.rejects(saveCurrentModel(dir, m, ['a', 'b'], 1), /rowSource/);
  await saveCurrentModel(dir, m, ['a', 'b'], 1, { id: 'mobilenet-test', recipe });
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
    provenance: { backboneId: string; recipe: unknown };
    extra: { modelVersion: string };
  };
  assert.equal(json.provenance.backboneId, 'mobilenet-test');
  assert.deepEqual(json.provenance.recipe, recipe);
  assert.equal(json.extra.modelVersion, 'head-test');
  const loaded = await loadHeadCheckpoint(dir, 'mobilenet-test');
  assert.deepEqual(loaded.model.classes, ['cat', 'dog']);
  loaded.model.dispose();
  classifier.dispose();
});
