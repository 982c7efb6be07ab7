// `node --import tsx run-cli.ts <unsure args>`: the real CLI entry point, then one last
// stdout line with the process's peak resident memory, for the corpus's memory checks.
process.on('exit', () => {
  process.stdout.write(`\nUNSURE_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
await import('../../src/main/cli.js');
