// What every CLI command shares: usage errors (exit 2), failures (exit 1), option parsing and
// the progress line. Kept free of TensorFlow so that `unsure <command> --help` starts at once.
import { parseArgs } from 'node:util';
import type { EngineProgress } from '../engine/engine-types.js';
import { EtaEstimator } from '../engine/progress-eta.js';
import { guardOutput, OutputRefused, type OutputSpec } from '../engine/project/output-guard.js';
import { skippedReportPath } from './skipped-report.js';
import { MAX_PATH_BYTES } from '../engine/project/path-inside.js';
import { projectDirPath } from '../engine/project/project-dir.js';
import { DatasetError, type InputLimits } from '../engine/types.js';

export class UsageError extends Error {}

export function parseIntArg(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return v;
}

/** A positive number (decimals allowed), or undefined when the option is absent. */
export function parsePositiveArg(name: string, raw: string | undefined, unit: string): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v <= 0)
    throw new UsageError(`--${name} must be a number of ${unit} above 0, got '${raw}'`);
  return v;
}

/** The per-file limits of `--max-pixels` (megapixels) and `--max-file-mb` (MiB). */
export function parseLimits(values: { 'max-pixels'?: string; 'max-file-mb'?: string }): Partial<InputLimits> {
  const mp = parsePositiveArg('max-pixels', values['max-pixels'], 'megapixels');
  const mb = parsePositiveArg('max-file-mb', values['max-file-mb'], 'megabytes');
  return {
    ...(mp !== undefined && { maxPixels: Math.round(mp * 1_000_000) }),
    ...(mb !== undefined && { maxFileBytes: Math.round(mb * 1024 * 1024) }),
  };
}

/** A one-line progress bar on a terminal; plain lines (at most one per phase or 5 s) otherwise. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): {
  update: (p: EngineProgress) => void;
  done: () => void;
} {
  const tty = stream.isTTY === true;
  let lastKey = '';
  let lastAt = 0;
  let drawn = false;
  const estimates = new EtaEstimator();
  return {
    update(report) {
      const p = estimates.fill('cli', report);
      const now = Date.now();
      const pct = Math.round(100 * Math.min(1, Math.max(0, p.fraction)));
      const eta = p.etaSec !== undefined && p.etaSec > 0 ? `, ETA ${Math.ceil(p.etaSec)} s` : '';
      const speed = p.samplesPerSec ? `, ${Math.round(p.samplesPerSec)} img/s` : '';
      const text = `${p.task}: ${p.message}${speed}${eta}`;
      if (tty) {
        if (now - lastAt < 100 && p.fraction < 1) return;
        lastAt = now;
        const width = 24;
        const filled = Math.round((width * pct) / 100);
        const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${text}`;
        const cols = stream.columns || 100;
        stream.write(`\r${line.slice(0, cols - 1).padEnd(cols - 1)}`);
        drawn = true;
      } else {
        const key = `${p.task}:${p.phase}`;
        if (key === lastKey && now - lastAt < 5000) return;
        lastKey = key;
        lastAt = now;
        stream.write(`[${String(pct).padStart(3)}%] ${text}\n`);
      }
    },
    done() {
      if (tty && drawn) stream.write('\n');
      drawn = false;
    },
  };
}

export function defaultProjectDir(train: string, pool?: string): string {
  return projectDirPath({ train, pool, demo: false });
}

/** Runs `fn`, mapping bad input to exit 2 and other failures to exit 1, with one clear line. */
export async function withExitCode(command: string, fn: () => Promise<void>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (err) {
    const e = err as Error;
    if (e instanceof OutputRefused) {
      // Checked before any work: nothing was written, and the fix is a different path.
      process.stderr.write(`unsure ${command}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`unsure ${command}: ${e.message}\nRun 'unsure ${command} --help' for the options.\n`);
      return 2;
    }
    process.stderr.write(`\nunsure ${command}: ${e instanceof DatasetError ? '' : 'error: '}${e.message}\n`);
    return 1;
  }
}

/**
 * Node's parseArgs reads the value in `--epochs -1` as an option; joined into `--epochs=-1`
 * it is a value, and the option's own check can say what is wrong with it.
 */
export function joinNegativeValues(argv: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  let joined = false; // argv[i] was joined to the option before it
  argv.forEach((a, i) => {
    if (joined) {
      joined = false;
      return;
    }
    const next = argv[i + 1];
    joined = a.startsWith('--') && names.includes(a.slice(2)) && next !== undefined && /^-[\d.]/.test(next);
    out.push(joined ? `${a}=${next}` : a);
  });
  return out;
}

/** Parses string-valued (and boolean) options; an unknown or malformed one is a UsageError (exit 2). */
export function parseStringOptions<K extends string, B extends string = never>(
  argv: string[],
  names: readonly K[],
  flags: readonly B[] = [],
): Partial<Record<K, string>> & Partial<Record<B, boolean>> {
  const options = {
    ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    ...Object.fromEntries(flags.map((n) => [n, { type: 'boolean' as const }])),
  };
  let values;
  try {
    values = parseArgs({ args: joinNegativeValues(argv, names), options, strict: true, allowPositionals: false })
      .values as Partial<Record<K, string>> & Partial<Record<B, boolean>>;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  // Every value may be a path: refused here, by option name, before anything looks at it.
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string') continue;
    if (value.includes('\0')) throw new UsageError(`--${name}: the value contains a NUL byte, which no path can hold`);
    const bytes = Buffer.byteLength(value);
    if (bytes > MAX_PATH_BYTES)
      throw new UsageError(`--${name}: ${bytes} bytes long, longer than the ${MAX_PATH_BYTES}-byte limit (PATH_MAX)`);
  }
  return values;
}

/**
 * Every path a run writes, checked before any work: its output (`kind`), the skipped-files
 * report beside it, and the project folder (given, or the one the app uses for these datasets).
 */
export function guardRunOutputs(
  values: { out: string; train: string; pool?: string; project?: string },
  kind: OutputSpec['kind'],
): { out: string; projectDir: string } {
  const datasets = [values.train, values.pool];
  const out = guardOutput({ path: values.out, kind, datasets, what: '--out' });
  guardOutput({ path: skippedReportPath(out), kind: 'file', datasets, what: '--out report' });
  const projectDir = guardOutput({
    path: values.project ?? defaultProjectDir(values.train, values.pool),
    kind: 'workspace',
    datasets,
    what: values.project ? '--project' : 'the project folder',
  });
  return { out, projectDir };
}
