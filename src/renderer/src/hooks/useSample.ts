import { useEffect, useRef, useState } from 'react';
import type { SampleDetail } from '../../../shared/api';
import type { RendererBridge } from '../bridge';

/** Fetches the detail of the current sample; cached per model version so moving back is instant. */
export function useSample(bridge: RendererBridge, id: string | null, modelVersion: string | null) {
  const cache = useRef(new Map<string, SampleDetail>());
  const [state, setState] = useState<{ key: string; detail: SampleDetail | null; error: string | null } | null>(null);
  const key = id ? `${modelVersion ?? ''}\u0000${id}` : null;

  useEffect(() => {
    if (!id || !key) return;
    const hit = cache.current.get(key);
    if (hit) {
      setState({ key, detail: hit, error: null });
      return;
    }
    let live = true;
    bridge.invoke('getSample', { id }).then(
      (d) => {
        if (cache.current.size > 500) cache.current.delete(cache.current.keys().next().value as string);
        cache.current.set(key, d);
        if (live) setState({ key, detail: d, error: null });
      },
      (err: unknown) => {
        if (live) setState({ key, detail: null, error: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [bridge, id, key]);

  const current = state && state.key === key ? state : null;
  return { detail: current?.detail ?? null, error: current?.error ?? null };
}
