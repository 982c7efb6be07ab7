#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, in a child Node whose --import names tsx by
// absolute URL: worker threads inherit it, so the engine's worker runs from sources too,
// whatever folder `npx unsure` is started from.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tsx = import.meta.resolve('tsx');
const cli = fileURLToPath(new URL('../src/main/cli.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
