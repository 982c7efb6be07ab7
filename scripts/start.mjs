#!/usr/bin/env node
// `npm start`: the Electron app where Electron's binary is installed, else browser mode,
// saying plainly why.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronPathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
const args = process.argv.slice(2);

function run(cmd, cmdArgs) {
  const child = spawn(cmd, cmdArgs, { stdio: 'inherit', cwd: root });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 1));
}

const hasElectron =
  fs.existsSync(electronPathFile) &&
  fs.existsSync(path.join(root, 'node_modules', 'electron', 'dist', fs.readFileSync(electronPathFile, 'utf8').trim()));

if (hasElectron && !process.env.UNSURE_BROWSER) {
  run(path.join(root, 'node_modules', '.bin', 'electron-vite'), ['preview', ...args]);
} else {
  console.error(
    hasElectron
      ? 'UNSURE_BROWSER is set: starting browser mode.'
      : "Electron's binary is not installed on this machine (it is downloaded from GitHub, which this\n" +
          'machine cannot reach). Starting Unsure in browser mode instead; open the URL below.\n' +
          'To get the desktop window on a machine with internet: npm run setup',
  );
  run(process.execPath, [path.join(root, 'bin', 'unsure.mjs'), 'serve', ...args]);
}
