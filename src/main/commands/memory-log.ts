// UNSURE_MEMORY_LOG=1: one stderr line per stage of a CLI job with the process's memory, to
// find which stage holds what (bench/score-memory.ts measures the peak from outside).
const enabled = process.env.UNSURE_MEMORY_LOG === '1';

export function logMemory(stage: string): void {
  if (!enabled) return;
  const m = process.memoryUsage();
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stderr.write(
    `unsure: memory after ${stage}: rss ${mib(m.rss)} (peak ${mib(peak)}), heap ${mib(m.heapUsed)}, ` +
      `external ${mib(m.external)} (array buffers ${mib(m.arrayBuffers)})\n`,
  );
}
