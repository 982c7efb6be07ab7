// What every benchmark prints first: the machine and the TensorFlow it ran on, so figures
// from different machines are never compared blind.
import os from 'node:os';
import { backendInfo } from '../src/main/engine/model/tf.js';

export function machineInfo(): Record<string, string> {
  const b = backendInfo();
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: String(os.cpus().length),
    ram: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.platform()} ${os.release()}`,
    node: process.version,
    backend: b.backend,
    libtensorflow: b.libtensorflow,
    'tfjs-node': b.tfjsNode,
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

export function printMachine(out: (s: string) => void = (s) => process.stdout.write(s)): void {
  out('Machine\n');
  for (const [k, v] of Object.entries(machineInfo())) out(`  ${k.padEnd(14)} ${v}\n`);
  out('\n');
}

/** A plain text table: first row is the header; numbers right-aligned. */
export function formatTable(rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = cells[0]!.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, j) => (j === 0 || Number.isNaN(Number(c)) ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n') + '\n';
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4);
}

export function peakMemory(): { rssMiB: number; heapMiB: number; externalMiB: number; maxRssMiB: number } {
  const m = process.memoryUsage();
  return {
    rssMiB: m.rss / 2 ** 20,
    heapMiB: m.heapUsed / 2 ** 20,
    externalMiB: m.external / 2 ** 20,
    // resourceUsage().maxRSS is in KiB.
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
