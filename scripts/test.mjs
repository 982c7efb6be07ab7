#!/usr/bin/env node
// `npm test`: lint, format check, type-check, build, then every unit and end-to-end test
// file with node's test runner (one file at a time: the machine has 2 cores and several
// tests train real TensorFlow models). The runner's own summary closes the output.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);

function step(title, cmd, args) {
  console.log(`\n=== ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
  console.log(`=== ${title}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const files = (dir) =>
  fs.existsSync(path.join(root, dir))
    ? fs
        .readdirSync(path.join(root, dir))
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => path.join(dir, f))
    : [];

if (only.length === 0) {
  step('lint (eslint)', bin('eslint'), ['.']);
  step('format (prettier --check)', bin('prettier'), ['--check', '.']);
  step('type-check (node side)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json']);
  step('type-check (renderer)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.web.json']);
  step('build (electron-vite)', bin('electron-vite'), ['build']);
}
const tests = only.length ? only : [...files('test/unit'), ...files('test/e2e')];
console.log(`\n=== tests: ${tests.length} files (unit, then end-to-end in Chromium)`);
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...tests],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
