// A model too weak for its label doubts to mean wrong labels says so: colour noise given two
// labels at random, so no model beats chance on held-out photos and every label_issue flag
// is the model's own mistake.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { put, sharpRaw } from '../bad-input/images.js';
import { mulberry32 } from '../../src/main/engine/datasets/random.js';
import { runUnsure } from './cli-run.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir('unsure-cli-weak-');
after(tmp.cleanup);

test('the summary says when held-out accuracy is too low for label doubts to mean wrong labels', async () => {
  const rng = mulberry32(7);
  const train = path.join(tmp.dir, 'noise');
  for (let i = 0; i < 60; i++) {
    const px = Buffer.alloc(32 * 32 * 3);
    for (let j = 0; j < px.length; j++) px[j] = Math.floor(rng() * 256);
    put(path.join(train, i % 2 ? 'left' : 'right', `${i}.png`), await sharpRaw(px, 32, 32).png().toBuffer());
  }
  const r = runUnsure(
    path.join(tmp.dir, 'home'),
    [],
    'score',
    '--train',
    train,
    '--out',
    path.join(tmp.dir, 'out.csv'),
  );
  assert.equal(r.code, 0, r.stderr);
  const accuracy = /held-out accuracy ([\d.]+)%/.exec(r.stderr);
  assert.ok(accuracy && Number(accuracy[1]) < 90, r.stderr);
  assert.match(
    r.stderr,
    /note: the model is right on [\d.]+% of held-out samples: many of the \d+ label_issue flags are its own mistakes/,
  );
});
