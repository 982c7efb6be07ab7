// Test hook for the kill tests: with UNSURE_TEST_KILL_AT=<name>, the process SIGKILLs itself
// at the named point of a multi-step write, so a real child process can be killed exactly
// there. Unset (always, outside the tests), it is a no-op.
export function killPoint(name: string): void {
  if (process.env.UNSURE_TEST_KILL_AT === name) process.kill(process.pid, 'SIGKILL');
}
