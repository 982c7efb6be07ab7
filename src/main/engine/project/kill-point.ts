// Test hook for the kill tests: with UNSURE_TEST_KILL_AT=<name> (or <name>:<file name>, to
// pick one target among several writes), the process SIGKILLs itself at the named point of
// a multi-step write, so a real child process can be killed exactly there. Unset (always,
// outside the tests), it does nothing.
import path from 'node:path';

/** True when the kill tests asked to die at this point (for this target). */
export function killPointArmed(name: string, target?: string): boolean {
  const at = process.env.UNSURE_TEST_KILL_AT;
  if (at === undefined) return false;
  return at === name || (target !== undefined && at === `${name}:${path.basename(target)}`);
}

export function killPoint(name: string, target?: string): void {
  if (killPointArmed(name, target)) process.kill(process.pid, 'SIGKILL');
}
