import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openSpecOf } from '../../src/main/service/open-spec.js';

describe('what an open asks for', () => {
  test('the datasets, and how they are scored, with nothing recorded that is the default', () => {
    assert.deepEqual(openSpecOf({}), { demo: true });
    assert.deepEqual(openSpecOf({ train: '/d/t', arch: 'auto' }), { train: '/d/t', pool: undefined, demo: false });
    assert.deepEqual(openSpecOf({ train: '/d/t', pool: '/d/p', arch: 'cnn' }), {
      train: '/d/t',
      pool: '/d/p',
      demo: false,
      arch: 'cnn',
    });
    // Another backbone is the backbone family; a model of one's own is neither family.
    assert.equal(openSpecOf({ train: '/d/t', backbone: 'https://h/m.onnx' }).arch, 'backbone');
    assert.equal(openSpecOf({ train: '/d/t', model: '/m', arch: 'backbone' }).arch, undefined);
  });

  test('parts that contradict each other, or lack what they need, are refused by name', () => {
    const refused: [object, RegExp][] = [
      [{ pool: '/d/p' }, /a labeled training dataset \(train\) is needed/],
      [{ train: '/d/t', model: '/m', predProbs: '/p.npy' }, /two sources: give one/],
      [{ train: '/d/t', features: '/f.npy' }, /features are read with predProbs/],
      [{ train: '/d/t', pool: '/d/p', predProbs: '/p.npy' }, /give no pool/],
      [{ train: '/d/t', backbone: '/b', arch: 'cnn' }, /a backbone is for the backbone family/],
      [{ train: '/d/t', backboneSha256: 'a'.repeat(64) }, /checks a backbone, which is missing/],
    ];
    for (const [params, why] of refused) assert.throws(() => openSpecOf(params), why, JSON.stringify(params));
  });
});
