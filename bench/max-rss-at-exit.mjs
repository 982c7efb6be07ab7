// Preloaded into the `unsure score` child by bench/score-memory.ts: at exit, writes the
// process's peak resident set (bytes) to $UNSURE_BENCH_MAX_RSS_FILE, so a peak reached just
// before exit (the CSV being written) is not missed between two polls.
import { writeFileSync } from 'node:fs';

const file = process.env.UNSURE_BENCH_MAX_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
