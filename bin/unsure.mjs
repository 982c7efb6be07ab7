#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx (no build step after `npm ci`). The engine's
// worker thread registers tsx for itself (engine-worker-dev.mjs).
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli.ts');
