// Waiting for a freshly opened project to settle before measuring the UI: the first
// ranking may hold only part of the samples (the training samples' scores join a few
// seconds later), and a background label check (as long as a training) then re-ranks the
// queue. Measuring during either would time the machine's other work, or a queue that
// changes under the keys.
import type { JobEvent, Queue } from '../src/shared/api.js';
import { callApi, type StartedServer } from '../test/e2e/server.js';

export interface Settled {
  samples: number;
  /** Seconds from the call to the full queue, and to the label check's end (null: none seen). */
  fullQueueSec: number;
  labelCheckSec: number | null;
}

/** Follows the server's event stream; call before the project is ready so no event is missed. */
export function followEvents(server: StartedServer): { events: JobEvent[]; close: () => void } {
  const events: JobEvent[] = [];
  const abort = new AbortController();
  void (async () => {
    const res = await fetch(`${server.origin}/api/events`, {
      headers: { Authorization: `Bearer ${server.token}` },
      signal: abort.signal,
    });
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk as Uint8Array, { stream: true });
      let at;
      while ((at = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, at);
        buf = buf.slice(at + 2);
        for (const line of block.split('\n')) {
          if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as JobEvent);
        }
      }
    }
  })().catch(() => {});
  return { events, close: () => abort.abort() };
}

const isLabelCheckEnd = (e: JobEvent) =>
  'jobId' in e && e.jobId === 'labelcheck' && (e.type === 'done' || e.type === 'error' || e.type === 'cancelled');

/**
 * Resolves once the queue holds at least `minSamples` and the label check has ended (or
 * none started within `quietMs` of the full queue).
 */
export async function waitSettled(
  server: StartedServer,
  events: JobEvent[],
  minSamples: number,
  opts: { timeoutMs?: number; quietMs?: number } = {},
): Promise<Settled> {
  const t0 = performance.now();
  const until = t0 + (opts.timeoutMs ?? 900_000);
  const quietMs = opts.quietMs ?? 20_000;
  let fullAt: number | null = null;
  let samples = 0;
  for (;;) {
    if (performance.now() > until) {
      throw new Error(`the project did not settle in time (queue ${samples} samples)\n${server.output()}`);
    }
    if (fullAt === null) {
      const q = await callApi<Queue | null>(server, 'getQueue');
      samples = q?.order.length ?? 0;
      if (samples >= minSamples) fullAt = performance.now();
    }
    if (fullAt !== null) {
      const sec = (t: number) => (t - t0) / 1000;
      if (events.some(isLabelCheckEnd)) {
        const q = await callApi<Queue | null>(server, 'getQueue');
        samples = q?.order.length ?? 0;
        return { samples, fullQueueSec: sec(fullAt), labelCheckSec: sec(performance.now()) };
      }
      const checking = events.some((e) => 'jobId' in e && e.jobId === 'labelcheck');
      if (!checking && performance.now() - fullAt > quietMs) {
        return { samples, fullQueueSec: sec(fullAt), labelCheckSec: null };
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
