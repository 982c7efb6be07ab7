import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classFolders, safeFileStem, safeSegment } from '../../src/main/engine/export/class-folders.js';

describe('class folder names', () => {
  test('ordinary labels are their own folder; unlabeled gets its folder', () => {
    const { folderOf, unlabeled } = classFolders(['7', 'cat', 'other', 'cat']);
    assert.deepEqual(Object.fromEntries(folderOf), { '7': '7', cat: 'cat', other: 'other' });
    assert.equal(unlabeled, 'unlabeled');
  });

  test('unsafe labels are made safe on every OS and never share a folder', () => {
    assert.equal(safeSegment('a/b'), 'a_b');
    assert.equal(safeSegment('..'), '__');
    assert.equal(safeSegment('.hidden'), '_.hidden');
    assert.equal(safeSegment('con'), '_con');
    assert.equal(safeSegment('what?'), 'what_');
    assert.equal(safeSegment(''), '_');
    const { folderOf } = classFolders(['a/b', 'a_b', 'Cat', 'cat']);
    // A safe label keeps its name; the unsafe one that maps onto it is numbered.
    assert.equal(folderOf.get('a_b'), 'a_b');
    assert.equal(folderOf.get('a/b'), 'a_b-2');
    // Case-insensitive file systems would merge Cat and cat.
    assert.notEqual(folderOf.get('Cat')!.toLowerCase(), folderOf.get('cat')!.toLowerCase());
  });

  test('a class called unlabeled or model does not collide with those folders', () => {
    const { folderOf, unlabeled } = classFolders(['unlabeled', 'model']);
    assert.equal(folderOf.get('unlabeled'), 'unlabeled');
    assert.equal(unlabeled, 'unlabeled-2');
    assert.equal(folderOf.get('model'), 'model-2');
  });

  test('file stems from ids are safe', () => {
    assert.equal(safeFileStem('3f9a0c'), '3f9a0c');
    assert.equal(safeFileStem('../x y'), '__x_y');
  });
});
