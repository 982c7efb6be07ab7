// The thumbnail-sheet query both transports accept (HTTP /media/sheet, Electron unsure-media://sheet/).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSheetIds, SHEET_MAX, sheetQuery } from '../../src/shared/media.js';

test('ids round-trip through the query value', () => {
  const ids = ['0123456789abcdef0123', 'fedcba9876543210fedc'];
  assert.deepEqual(parseSheetIds(sheetQuery(ids)), ids);
});

test('missing, too many, empty or path-like ids are refused with the reason', () => {
  assert.throws(() => parseSheetIds(null), /needs ids/);
  assert.throws(() => parseSheetIds(''), /needs ids/);
  const many = Array.from({ length: SHEET_MAX + 1 }, (_, i) => `id${i}`);
  assert.throws(
    () => parseSheetIds(sheetQuery(many)),
    new RegExp(`at most ${SHEET_MAX} samples, got ${SHEET_MAX + 1}`),
  );
  assert.throws(() => parseSheetIds('ab..cd'), /not a sample id: ""/);
  assert.throws(() => parseSheetIds('ab./etc/passwd'), /not a sample id: "\/etc\/passwd"/);
  assert.throws(() => parseSheetIds('ab.c%20d'), /not a sample id/);
});
