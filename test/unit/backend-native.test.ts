// The pure-JS backend is ~100x slower and must never be a silent fallback: every test run
// states which TensorFlow it ran on, and fails unless it is the native one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendInfo } from '../../src/main/engine/model/tf.js';

test("TensorFlow runs on the native 'tensorflow' backend", async () => {
  const info = backendInfo();
  console.log(`# backend: ${info.backend}, libtensorflow ${info.libtensorflow}, tfjs-node ${info.tfjsNode}`);
  assert.equal(info.backend, 'tensorflow');
  assert.match(info.libtensorflow, /^\d+\.\d+/);
});
