// Finding resources/ from the engine's modules, and the path libtensorflow gets inside a
// packaged app (the unpacked copy beside app.asar).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';
import { shippedResourceDir, unpackedPath } from '../../src/main/engine/model/shipped-resource.js';

test('shipped folders are found by their marker file, and a missing one is null', () => {
  const dir = shippedResourceDir('graphs/cnn-train', 'saved_model.pb');
  assert.ok(dir && dir.endsWith(path.join('resources', 'graphs', 'cnn-train')), String(dir));
  assert.equal(shippedResourceDir('graphs/cnn-train', 'no-such-file'), null);
  assert.equal(shippedResourceDir('no-such-folder', 'model.json'), null);
});

test('a path inside app.asar becomes the unpacked copy; others stay as they are', () => {
  assert.equal(
    unpackedPath('/opt/Unsure/resources/app.asar/resources/graphs/cnn-train'),
    '/opt/Unsure/resources/app.asar.unpacked/resources/graphs/cnn-train',
  );
  assert.equal(
    unpackedPath('C:\\Unsure\\resources\\app.asar\\resources\\graphs'),
    'C:\\Unsure\\resources\\app.asar.unpacked\\resources\\graphs',
  );
  for (const p of ['/work/main/resources/graphs', '/x/app.asar.unpacked/r', '/x/my-app.asar/r', '/x/app.asarx/r'])
    assert.equal(unpackedPath(p), p);
});
