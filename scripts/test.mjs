#!/usr/bin/env node
// `npm test`: lint, format check, type-check and build (the package scripts), then every unit and end-to-end test
// file with node's test runner (one file at a time: the machine has 2 cores and several
// tests train real TensorFlow models). The runner's own summary closes the output.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
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
  // The package's own scripts, so each check is defined once (package.json).
  step('lint and format (npm run lint)', npm, ['run', '--silent', 'lint']);
  step('type-check (npm run typecheck)', npm, ['run', '--silent', 'typecheck']);
  step('build (npm run build)', npm, ['run', '--silent', 'build']);
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
