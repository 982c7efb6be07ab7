// The renderer's only door to the main side. In Electron the preload supplies it; in a
// browser the same interface is built over same-origin HTTP and Server-Sent Events, so
// no component knows which transport is underneath.
import type { ApiName, ApiParams, ApiReply, ApiResult, JobEvent } from '../../shared/api';
import { errorMessage } from '../../shared/api';
import { sheetQuery } from '../../shared/media';
import { fromPreload, type RendererBridge } from './from-preload';

export type { RendererBridge };

/** Thrown when the main side cannot be reached at all (as opposed to answering with an error). */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

let bridge: RendererBridge | null = null;

export function getBridge(): RendererBridge {
  if (bridge) return bridge;
  const exposed = window.unsure;
  bridge = exposed ? fromPreload(exposed) : httpBridge();
  return bridge;
}

function httpBridge(): RendererBridge {
  const listeners = new Set<(e: JobEvent) => void>();
  const connListeners = new Set<(up: boolean) => void>();
  let source: EventSource | null = null;
  let up = true;
  let retries = 0;

  const setUp = (v: boolean): void => {
    if (v === up) return;
    up = v;
    for (const l of connListeners) l(v);
  };

  const ensureSource = (): void => {
    if (source) return;
    source = new EventSource('/api/events');
    source.onmessage = (m: MessageEvent<string>) => {
      let event: JobEvent;
      try {
        event = JSON.parse(m.data) as JobEvent;
      } catch {
        return;
      }
      for (const l of listeners) l(event);
    };
    // EventSource reconnects by itself after a dropped stream; we only report the outage.
    // It gives up for good on an HTTP error (a restarted server refusing an old session),
    // so then we open a new one ourselves, backing off.
    source.onerror = () => {
      setUp(false);
      if (source && source.readyState === EventSource.CLOSED) {
        source.close();
        source = null;
        const delay = Math.min(30_000, 1000 * 2 ** Math.min(retries++, 5));
        setTimeout(ensureSource, delay);
      }
    };
    source.onopen = () => {
      retries = 0;
      setUp(true);
    };
  };

  return {
    mode: 'browser',
    async invoke<N extends ApiName>(name: N, params: ApiParams<N>): Promise<ApiResult<N>> {
      let res: Response;
      try {
        res = await fetch(`/api/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(params ?? {}),
          credentials: 'same-origin',
        });
      } catch (err) {
        throw new ConnectionError(`Cannot reach the Unsure server (${errorMessage(err)})`);
      }
      if (res.status === 401 || res.status === 403) {
        throw new ConnectionError(
          'This page is no longer authorised (the Unsure server restarted?). Open the address that `unsure serve` printed; your decisions are kept in this browser.',
        );
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw new Error(`${name}: the server answered ${res.status} ${res.statusText} without a JSON body`);
      }
      const b = body as Partial<ApiReply<ApiResult<N>>>;
      if (!res.ok || b.ok !== true || !('result' in b)) {
        const message = b.ok === false ? b.error?.message : undefined;
        throw new Error(message ?? `${name}: the server answered ${res.status} ${res.statusText}`);
      }
      return b.result as ApiResult<N>;
    },
    onEvent(listener) {
      ensureSource();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    imageUrl: (id) => `/media/sample/${encodeURIComponent(id)}`,
    sheetUrl: (ids) => `/media/sheet?ids=${sheetQuery(ids)}`,
    onConnection(listener) {
      ensureSource();
      connListeners.add(listener);
      return () => connListeners.delete(listener);
    },
  };
}
