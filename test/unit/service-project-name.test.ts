import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_NAME, exportSuggestion, projectName } from '../../src/main/service/project-name.js';

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
      '/data/products/train_labels-corrected',
    );
    assert.equal(exportSuggestion({ demo: true }, '/home/ada'), '/home/ada/digits-in-the-wild-corrected');
  });
});
