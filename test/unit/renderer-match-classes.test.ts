// The class picker's search (`/`), for datasets with more classes than keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchClasses } from '../../src/renderer/src/keys/match-classes.js';

const PETS = ['Abyssinian', 'american_bulldog', 'basset_hound', 'Bengal', 'english_cocker_spaniel', 'pug', 'other'];

test('names starting with the query come first, then a word starting with it, then any match', () => {
  assert.deepEqual(matchClasses(PETS, 'b'), ['basset_hound', 'Bengal', 'american_bulldog', 'Abyssinian']);
  assert.deepEqual(matchClasses(PETS, 'ng'), ['Bengal', 'english_cocker_spaniel']);
  assert.deepEqual(matchClasses(PETS, 'HOUND'), ['basset_hound']);
});

test('an empty query lists every class, one that matches nothing none', () => {
  assert.deepEqual(matchClasses(PETS, '  '), PETS);
  assert.deepEqual(matchClasses(PETS, 'zebra'), []);
});
