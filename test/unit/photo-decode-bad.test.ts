// The photo path's refusals: every colour bad file of the corpus (test/bad-input/cases-images.ts,
// PHOTO_CASES) is refused with a reason that names the problem, while the good file beside it
// decodes; the limits, the in-root rule and cancelling hold on this path as on the digits one.
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PHOTO_CASES } from '../bad-input/cases-images.js';
import { colourJpeg, put } from '../bad-input/images.js';
import { decodePhotos, type PhotoFile, type PhotoTarget } from '../../src/main/engine/datasets/photo-decode.js';
import { realRootOf, resolveInRoot } from '../../src/main/engine/datasets/in-root.js';
import { tempDir } from './model-fixtures.js';

const tmp = tempDir('unsure-photo-bad-');
const TARGET: PhotoTarget = { height: 32, width: 32, channels: 3, resize: 'fit', background: [0, 0, 0] };
const NOT_WORDS = [/TF_Status/, /\n\s+at /, /Input buffer/i, /Vips\w+:/, /undefined|\[object/];
let good: PhotoFile;
let files: PhotoFile[];

before(async () => {
  good = { file: put(join(tmp.dir, 'good.jpg'), await colourJpeg(64, 48)), name: 'good.jpg' };
  files = [good];
  for (const c of PHOTO_CASES) {
    const file = join(tmp.dir, c.name, c.file);
    put(join(tmp.dir, c.name, '.keep'), '');
    await c.make(file);
    files.push({ file, name: `${c.name}/${c.file}` });
  }
});
after(() => tmp.cleanup());

describe('the colour bad-input cases', () => {
  test('every case is refused with a named reason; the good file decodes', async () => {
    const got = await decodePhotos(files, [TARGET]);
    assert.ok(got.native[0], `good.jpg refused: ${got.failures.find((f) => f.index === 0)?.reason}`);
    assert.deepEqual(got.native[0], { width: 64, height: 48, channels: 3 });
    assert.equal(got.failures.length, PHOTO_CASES.length);
    PHOTO_CASES.forEach((c, k) => {
      const failure = got.failures.find((f) => f.index === k + 1);
      assert.ok(failure, `${c.name} was not refused`);
      for (const p of c.problem) assert.match(failure.reason, p, `${c.name}: ${failure.reason}`);
      for (const p of NOT_WORDS) assert.doesNotMatch(failure.reason, p, `${c.name}: ${failure.reason}`);
      assert.equal(got.native[k + 1], null, c.name);
    });
  });

  test('the corpus cases have unique names', () => {
    assert.equal(new Set(PHOTO_CASES.map((c) => c.name)).size, PHOTO_CASES.length);
  });
});

describe('limits and the in-root rule on the photo path', () => {
  test('--max-pixels: a 64 x 48 photo over a 3,000-pixel limit is refused with its size, before decoding', async () => {
    const got = await decodePhotos([good], [TARGET], { limits: { maxPixels: 3000 } });
    assert.equal(got.failures.length, 1);
    assert.match(got.failures[0]!.reason, /64 x 48 pixels, over the 3000-pixel limit/);
    assert.equal(got.ids[0] !== null, true, 'the file was read (and hashed) before its header refused it');
  });

  test('--max-file-mb: a file over the size limit is refused before it is read', async () => {
    const got = await decodePhotos([good], [TARGET], { limits: { maxFileBytes: 100 } });
    assert.match(got.failures[0]!.reason, /over the 100 bytes file size limit/);
    assert.equal(got.ids[0], null);
  });

  test('a link out of the root is refused by the one in-root resolver; the photo path never sees it', async () => {
    const root = join(tmp.dir, 'rooted');
    put(join(root, '.keep'), '');
    const link = join(root, 'elsewhere.jpg');
    symlinkSync(good.file, link);
    const verdict = await resolveInRoot(link, realRootOf(root)!);
    assert.equal(verdict.ok, false);
    assert.match((verdict as { reason: string }).reason, /a link that leaves the dataset/);
  });

  test('an aborted signal stops the decode with its reason', async () => {
    const ctl = new AbortController();
    ctl.abort(new Error('cancelled by the user'));
    await assert.rejects(decodePhotos(files, [TARGET], { signal: ctl.signal }), /cancelled by the user/);
    const late = new AbortController();
    const run = decodePhotos(files, [TARGET], {
      signal: late.signal,
      concurrency: 1,
      onProgress: (done) => {
        if (done === 2) late.abort(new Error('stopped half way'));
      },
    });
    await assert.rejects(run, /stopped half way/);
  });
});
