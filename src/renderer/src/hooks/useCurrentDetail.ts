import { useDeferredValue, useMemo } from 'react';
import type { RendererBridge } from '../bridge';
import type { Selection } from './useSelection';
import { useSample } from './useSample';

/** The current sample's detail, fetched ahead of the reviewer, painted after its image. */
export function useCurrentDetail(bridge: RendererBridge, selection: Selection, modelVersion: string | null) {
  const { idAt, currentPos, effectiveId } = selection;
  // A decision moves to the next sample in the queue: fetch its detail (and the one after,
  // for a fast reviewer) ahead of the key press.
  const ahead = useMemo(
    () => [idAt(currentPos + 1), idAt(currentPos + 2)].filter((x): x is string => x !== null),
    [idAt, currentPos],
  );
  const { detail: freshDetail, error } = useSample(bridge, effectiveId, modelVersion, ahead);
  // The image is what the reviewer decides on, so the frame right after a key press paints
  // it alone; the detail (tables, neighbours: a far larger area to lay out and paint) comes
  // in a deferred render. Painted together, they made the image wait ~20 ms longer.
  const deferredDetail = useDeferredValue(freshDetail);
  const detail = deferredDetail && deferredDetail.id === effectiveId ? deferredDetail : null;
  return { detail, error };
}
