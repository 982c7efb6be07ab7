// Numeric-aware ordering so class '2' sorts before '10' and 'img9.png' before 'img10.png'.
// A fixed locale keeps the order (and so which duplicate is kept) the same on every machine.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

export function compareNatural(a: string, b: string): number {
  const c = collator.compare(a, b);
  // The collator may call distinct strings equal (e.g. '01' and '1'): fall back to code units.
  if (c !== 0) return c;
  return a < b ? -1 : a > b ? 1 : 0;
}
