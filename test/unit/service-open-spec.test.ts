import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertPathsExist, openSpecOf } from '../../src/main/service/open-spec.js';
import { tempDir } from './model-fixtures.js';

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

  test('paths that do not exist, and a pool that is the training set itself (by any spelling), are refused', async () => {
    const tmp = tempDir('unsure-open-spec-');
    try {
      const train = path.join(tmp.dir, 'train');
      const pool = path.join(tmp.dir, 'pool');
      for (const dir of [train, pool]) {
        mkdirSync(path.join(dir, 'a'), { recursive: true });
        writeFileSync(path.join(dir, 'a', 'x.png'), 'read later, not now');
      }
      mkdirSync(path.join(tmp.dir, 'empty'));
      symlinkSync(train, path.join(tmp.dir, 'link'));
      await assertPathsExist({ demo: false, train, pool });
      await assert.rejects(
        assertPathsExist({ demo: false, train, pool: path.join(tmp.dir, 'nope') }),
        /pool: .*nope does not exist/,
      );
      await assert.rejects(
        assertPathsExist({ demo: false, train: path.join(tmp.dir, 'empty') }),
        /empty is empty of data: no images/,
      );
      await assert.rejects(assertPathsExist({ demo: false, train: '/etc/hostname' }), /is not a dataset/);
      for (const same of [train, `${train}/`, path.join(tmp.dir, 'pool', '..', 'train'), path.join(tmp.dir, 'link')])
        await assert.rejects(
          assertPathsExist({ demo: false, train, pool: same }),
          /is the training set itself: give no pool to review the training set's labels/,
          same,
        );
    } finally {
      tmp.cleanup();
    }
  });
});
