// The class picker's search: what a reviewer types against the class names, for datasets
// with more classes than keys (37 pet breeds, 120 ImageNet-style classes).

/**
 * The labels matching `query`, best first: case-insensitive, names starting with it, then
 * names with a word starting with it, then names containing it; each group in label order.
 * An empty query matches every label.
 */
export function matchClasses(labels: readonly string[], query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...labels];
  const groups: string[][] = [[], [], []];
  for (const label of labels) {
    const l = label.toLowerCase();
    const at = l.indexOf(q);
    if (at < 0) continue;
    const group = at === 0 ? 0 : l.split(/[\s_\-./]+/).some((w) => w.startsWith(q)) ? 1 : 2;
    groups[group]!.push(label);
  }
  return groups.flat();
}
