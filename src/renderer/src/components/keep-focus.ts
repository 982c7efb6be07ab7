import type { MouseEvent } from 'react';

/**
 * Clicking a toolbar button must not leave focus on it: the next Enter means "accept the
 * prediction", not "press that button again". Keyboard users who Tab to a button still get
 * ordinary button behaviour.
 */
export function keepFocus(e: MouseEvent): void {
  if ((e.target as HTMLElement).closest('button')) e.preventDefault();
}
