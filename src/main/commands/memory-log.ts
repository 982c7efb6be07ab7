// UNSURE_MEMORY_LOG=1: one stderr line per stage of a CLI job with the process's memory, to
// find which stage holds what (bench/score-memory.ts measures the peak from outside).
// UNSURE_MEMORY_LOG=gc collects garbage first, so the line shows what the stage retains
// (this changes the peak: never for a measurement).
import v8 from 'node:v8';
import vm from 'node:vm';
import { onNewPhase, type ProgressBar } from './stage-profile.js';

const mode = process.env.UNSURE_MEMORY_LOG;

let collect: (() => void) | null = null;
if (mode === 'gc') {
  v8.setFlagsFromString('--expose-gc');
  collect = vm.runInNewContext('gc') as () => void;
}

export function logMemory(stage: string): void {
  if (mode !== '1' && mode !== 'gc') return;
  collect?.();
  const m = process.memoryUsage();
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stderr.write(
    `unsure: memory after ${stage}: rss ${mib(m.rss)} (peak ${mib(peak)}), heap ${mib(m.heapUsed)}, ` +
      `external ${mib(m.external)} (array buffers ${mib(m.arrayBuffers)})\n`,
  );
}

/** The progress printer, also logging memory whenever a task enters a new phase. */
export function memoryLogged<P extends { task: string; phase: string }>(bar: ProgressBar<P>): ProgressBar<P> {
  return mode === '1' || mode === 'gc' ? onNewPhase(bar, logMemory) : bar;
}
