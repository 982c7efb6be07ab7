#!/usr/bin/env node
// The CLI from its bundle when that is current (scripts/cli-bundle.mjs), else straight from
// the TypeScript sources through tsx. The engine's worker thread registers tsx for itself
// (engine-worker-dev.mjs).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle } from '../scripts/cli-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = freshBundle(root, process.argv[2]);
if (bundle) await import(pathToFileURL(bundle).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main/cli.ts');
}
