import { useEffect, useRef, useState } from 'react';
import type { SampleDetail } from '../../../shared/api';
import { errorMessage } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import { DetailCache } from '../samples/detail-cache';

const keyOf = (id: string, modelVersion: string | null) => `${modelVersion ?? ''}\u0000${id}`;

/**
 * Fetches the detail of the current sample, cached per model version so moving back is
 * instant. `prefetch` names the samples a decision will most likely move to next: they (and
 * their images) are fetched ahead, so after a key press the panel shows the next sample's full detail in
 * the same frame as its image instead of a round trip later.
 */
export function useSample(
  bridge: RendererBridge,
  id: string | null,
  modelVersion: string | null,
  prefetch: readonly string[] = [],
) {
  // One cache per mounted panel, for its lifetime; an object whose answers per key never
  // change, so reading it while rendering is pure.
  const [cache] = useState(() => new DetailCache<SampleDetail>());
  const [state, setState] = useState<{ key: string; detail: SampleDetail | null; error: string | null } | null>(null);
  const key = id ? keyOf(id, modelVersion) : null;

  useEffect(() => {
    const c = cache;
    if (!id || !key || c.get(key)) return;
    let live = true;
    c.fetch(key, () => bridge.invoke('getSample', { id })).then(
      (d) => {
        if (live) setState({ key, detail: d, error: null });
      },
      (err: unknown) => {
        if (live) setState({ key, detail: null, error: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [bridge, cache, id, key]);

  // The images too (the sample's and its nearest neighbours'), so the frame that shows the
  // next sample does not wait on image requests. Kept referenced until they are loaded.
  const images = useRef<HTMLImageElement[]>([]);
  const prefetchList = prefetch.join('\u0000');
  useEffect(() => {
    const c = cache;
    if (!prefetchList) return;
    const preload = (sid: string) => {
      const img = new Image();
      img.decoding = 'async';
      img.src = bridge.imageUrl(sid);
      images.current.push(img);
      if (images.current.length > 64) images.current.shift();
    };
    for (const pid of prefetchList.split('\u0000')) {
      preload(pid);
      c.fetch(keyOf(pid, modelVersion), () => bridge.invoke('getSample', { id: pid })).then(
        (d) => d.neighbours.forEach((n) => preload(n.id)),
        // Errors are left to the panel's own request, made when (if) this sample is shown.
        () => {},
      );
    }
  }, [bridge, cache, prefetchList, modelVersion]);

  // A cached answer is used in the very render that selects the sample: no extra commit.
  const hit = key ? cache.get(key) : undefined;
  if (hit) return { detail: hit, error: null };
  const current = state && state.key === key ? state : null;
  return { detail: current?.detail ?? null, error: current?.error ?? null };
}
