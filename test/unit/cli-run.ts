// The `unsure` command as a child process, for the CLI tests: exit code and both streams.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `node [...pre] bin/unsure.mjs ...args` from the repository root, with UNSURE_HOME=home. */
export function runUnsure(home: string, pre: string[], ...args: string[]) {
  const r = spawnSync(process.execPath, [...pre, path.join(root, 'bin', 'unsure.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, UNSURE_HOME: home },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
