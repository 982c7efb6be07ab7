import { useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * A ref that always holds the latest value, for handlers registered once (window key
 * listeners, a grid's click handler). It is updated in a layout effect, during the commit:
 * a passive effect runs only after paint, so an input event arriving between the paint and
 * that effect (Chromium runs input first) would meet the previous render's state, e.g. a key
 * press right after "12 selected" appears deciding for one sample instead of twelve.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
