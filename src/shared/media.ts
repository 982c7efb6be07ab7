// Thumbnail sheets: one image holding many samples, stacked top to bottom, so the queue grid
// loads one image per block of tiles instead of one per tile. Scrolling 100,000 samples with
// the mouse wheel brings in hundreds of tiles a second; as one request each, the browser's
// work on the responses alone cost the page a fifth of its main thread and dropped frames.

/** Samples per sheet at most (a block of the grid; the URL stays well under 2 KB). */
export const SHEET_MAX = 32;

const ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The `ids` query value of a sheet: sample ids joined by '.', which no id contains. */
export function sheetQuery(ids: readonly string[]): string {
  return ids.join('.');
}

/** Parses and checks a sheet's `ids` value; the message says what is wrong. */
export function parseSheetIds(value: string | null): string[] {
  if (!value) throw new Error('a sheet needs ids: ?ids=<id>.<id>...');
  const ids = value.split('.');
  if (ids.length > SHEET_MAX) throw new Error(`a sheet holds at most ${SHEET_MAX} samples, got ${ids.length}`);
  const bad = ids.find((id) => !ID.test(id));
  if (bad !== undefined) throw new Error(`not a sample id: ${JSON.stringify(bad.slice(0, 80))}`);
  return ids;
}
