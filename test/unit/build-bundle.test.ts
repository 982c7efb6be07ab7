// The Electron app runs the bundled main process, not the sources: its engine worker is a
// separate entry of the electron-vite build (out/main/engine-worker.js). Electron cannot
// start here, but that worker is plain Node, so the built file itself is exercised.
// `npm test` builds before running the tests.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/main/engine/worker/engine-client-impl.js';
import { mnistTestPng } from '../e2e/fixtures.js';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../out');

test('the build has the main, worker, preload and renderer bundles', () => {
  for (const f of ['main/index.js', 'main/engine-worker.js', 'preload/index.cjs', 'renderer/index.html']) {
    assert.ok(fs.existsSync(path.join(out, f)), `out/${f} is missing: run \`npm run build\` first`);
  }
  // The preload runs sandboxed, where only CommonJS and the electron module are available.
  const preload = fs.readFileSync(path.join(out, 'preload/index.cjs'), 'utf8');
  assert.match(preload, /require\("electron"\)/);
  assert.doesNotMatch(preload, /require\("node:|require\("fs"|^import /m);
});

test('the bundled engine worker runs TensorFlow natively', async () => {
  const engine = createEngine({ workerPath: path.join(out, 'main/engine-worker.js') });
  try {
    const info = await engine.backend();
    assert.equal(info.backend, 'tensorflow');
    const digit = mnistTestPng(1);
    // No model yet: predicting must fail with a clear message, not crash the worker.
    await assert.rejects(engine.predictImage(new Uint8Array(digit.bytes)), /model/i);
    assert.equal((await engine.backend()).backend, 'tensorflow');
  } finally {
    await engine.close();
  }
});
