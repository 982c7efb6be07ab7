import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_NAME, exportSuggestion, projectName } from '../../src/main/service/project-name.js';
import { exportDestination } from '../../src/main/engine/export/export-target.js';
import { datasetRoot } from '../../src/main/engine/project/projects.js';

describe('what a project is called', () => {
  test('after its training set, or the folder holding it when that says only "train"', () => {
    assert.equal(projectName({ train: '/data/pets', pool: '/data/unsorted' }), 'pets');
    assert.equal(projectName({ train: '/data/pets/train/', pool: '/data/pets/pool' }), 'pets');
    assert.equal(projectName({ train: '/data/products/train_labels.csv' }), 'products');
    assert.equal(projectName({ train: '/data/products/catalogue.csv' }), 'catalogue');
    assert.equal(projectName({ pool: '/data/shoots/2026-11' }), '2026-11');
    assert.equal(projectName({ demo: true }), DEMO_NAME);
  });

  test('export offers a folder beside the training set, or in the home folder for the demo', () => {
    assert.equal(exportSuggestion({ train: '/data/pets/' }), '/data/pets-corrected');
    assert.equal(
      exportSuggestion({ train: '/data/products/train_labels.csv' }),
      '/data/products-corrected', // beside the manifest's folder: an export inside a dataset is refused
    );
    assert.equal(exportSuggestion({ demo: true }, '/home/ada'), '/home/ada/digits-in-the-wild-corrected');
  });

  test('the folder offered for a manifest is one an export may be written to', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-suggest-'));
    try {
      const csv = path.join(dir, 'products', 'labels.csv');
      fs.mkdirSync(path.dirname(csv));
      fs.writeFileSync(csv, 'path,label\n');
      const offered = exportSuggestion({ train: csv });
      assert.equal(exportDestination(offered, [datasetRoot(csv)]), offered);
      // What it offered before: inside the dataset's folder, and refused.
      assert.throws(() => exportDestination(path.join(dir, 'products', 'labels-corrected'), [datasetRoot(csv)]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
