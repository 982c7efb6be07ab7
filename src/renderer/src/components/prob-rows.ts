// Which classes the detail panel's probability list shows.

/** Up to this many classes are listed in their own order; more are cut to the likeliest. */
const ALL_CLASSES_MAX = 12;
const LIKELIEST = 8;

/**
 * The rows the probability list shows: every class, or for many classes the likeliest few
 * and the given label, most probable first, with what the rest add up to.
 */
export function probRows(
  classes: readonly string[],
  probs: readonly number[],
  given: string | null,
): { rows: number[]; rest: { count: number; p: number } | null } {
  const all = classes.map((_, i) => i);
  if (classes.length <= ALL_CLASSES_MAX) return { rows: all, rest: null };
  const byP = all.sort((a, b) => (probs[b] ?? 0) - (probs[a] ?? 0));
  const rows = byP.slice(0, LIKELIEST);
  const g = given === null ? -1 : classes.indexOf(given);
  if (g >= 0 && !rows.includes(g)) rows.push(g);
  const shown = new Set(rows);
  const others = byP.filter((i) => !shown.has(i));
  return { rows, rest: { count: others.length, p: others.reduce((s, i) => s + (probs[i] ?? 0), 0) } };
}
