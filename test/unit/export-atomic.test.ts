import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { EngineSample } from '../../src/main/engine/engine-types.js';
import { exportDataset, type ExportOptions } from '../../src/main/engine/export/export-dataset.js';
import { pixelsOf, writeSourcePng } from './export-fixtures.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-export-atomic-'));
after(() => rmSync(root, { recursive: true, force: true }));
const source = path.join(root, 'source');
const n = 40;
const samples: EngineSample[] = Array.from({ length: n }, (_, i) => ({
  id: `sample${String(i).padStart(3, '0')}`,
  path: `${i % 2}/s${i}.png`,
  label: String(i % 2),
  file: writeSourcePng(source, `${i % 2}/s${i}.png`, i),
  split: 'train',
}));
const base = (dest: string): ExportOptions => ({
  dest,
  samples,
  pixels: pixelsOf(n),
  decisions: new Map(),
  labels: samples.map((s) => s.label),
  sourceRoots: [source],
  sourceKind: 'folder',
});
const leftovers = () => readdirSync(root).filter((f) => f.includes('.unsure-tmp-'));

describe('export atomicity and refusals', () => {
  test('a failing saveModel leaves neither the destination nor a temp folder', async () => {
    const dest = path.join(root, 'fails');
    await assert.rejects(
      exportDataset({
        ...base(dest),
        saveModel: async (dir) => {
          writeFileSync(path.join(dir, 'model.json'), '{}');
          throw new Error('disk full while saving weights');
        },
      }),
      /disk full/,
    );
    assert.equal(existsSync(dest), false);
    assert.deepEqual(leftovers(), []);
  });

  test('a source file that vanished fails the export, naming it, and leaves nothing', async () => {
    const dest = path.join(root, 'vanished');
    const gone = { ...samples[5]!, file: path.join(source, 'nope.png') };
    await assert.rejects(
      exportDataset({ ...base(dest), samples: [...samples.slice(0, 5), gone, ...samples.slice(6)] }),
      /cannot copy .*nope\.png/,
    );
    assert.equal(existsSync(dest), false);
    assert.deepEqual(leftovers(), []);
  });

  test('cancelling leaves nothing', async () => {
    const dest = path.join(root, 'cancelled');
    const controller = new AbortController();
    await assert.rejects(
      exportDataset({ ...base(dest), signal: controller.signal, onProgress: (d) => d >= 10 && controller.abort() }),
      /cancelled/,
    );
    assert.equal(existsSync(dest), false);
    assert.deepEqual(leftovers(), []);
  });

  test('the model is saved into model/ and counted', async () => {
    const dest = path.join(root, 'with-model');
    const summary = await exportDataset({
      ...base(dest),
      saveModel: async (dir) => {
        writeFileSync(path.join(dir, 'model.json'), '{"format":"layers-model"}');
        writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(16));
        writeFileSync(path.join(dir, 'provenance.json'), '{}');
      },
    });
    assert.equal(summary.modelIncluded, true);
    assert.equal(summary.files, n + 2 + 3);
    assert.deepEqual(readdirSync(path.join(dest, 'model')).sort(), ['model.json', 'provenance.json', 'weights.bin']);
    assert.deepEqual(summary.perClass, { '0': 20, '1': 20 });
  });

  test('refuses a non-empty destination and leaves it as it was', async () => {
    const dest = path.join(root, 'occupied');
    mkdirSync(dest);
    writeFileSync(path.join(dest, 'precious.txt'), 'keep me');
    await assert.rejects(exportDataset(base(dest)), /export folder .*occupied is not empty/);
    assert.deepEqual(readdirSync(dest), ['precious.txt']);
    assert.equal(readFileSync(path.join(dest, 'precious.txt'), 'utf8'), 'keep me');
    assert.deepEqual(leftovers(), []);
  });

  test('refuses a destination that is a file', async () => {
    const dest = path.join(root, 'a-file');
    writeFileSync(dest, 'x');
    await assert.rejects(exportDataset(base(dest)), /exists and is not a folder/);
  });

  test('refuses a destination inside a source dataset, also through a symlink', async () => {
    await assert.rejects(exportDataset(base(path.join(source, 'corrected'))), /is inside the source dataset/);
    const link = path.join(root, 'link');
    symlinkSync(source, link);
    await assert.rejects(exportDataset(base(path.join(link, 'x'))), /is inside the source dataset/);
    assert.deepEqual(readdirSync(source).sort(), ['0', '1']);
  });

  test('refuses mismatched inputs before writing anything', async () => {
    const dest = path.join(root, 'mismatch');
    await assert.rejects(exportDataset({ ...base(dest), labels: ['0'] }), /1 labels for 40 samples/);
    await assert.rejects(exportDataset({ ...base(dest), pixels: new Uint8Array(10) }), /10 pixel bytes/);
    assert.equal(existsSync(dest), false);
  });
});
