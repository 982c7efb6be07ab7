import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsFor, moveIndex, scrollToReveal, visibleRange } from '../../src/renderer/src/grid/windowing.js';

describe('visibleRange', () => {
  const g = { cellWidth: 100, cellHeight: 130, width: 1000, count: 100_000 };

  test('renders only the rows in view plus overscan, whatever the count', () => {
    const r = visibleRange(g, 0, 650, 2);
    assert.equal(r.columns, 10);
    assert.equal(r.rows, 10_000);
    assert.equal(r.totalHeight, 1_300_000);
    assert.equal(r.firstRow, 0);
    assert.equal(r.endRow, 7);
    assert.equal(r.end - r.start, 70);
  });

  test('deep in the list the window moves with the scroll position', () => {
    const r = visibleRange(g, 130 * 5000 + 10, 650, 2);
    assert.equal(r.firstRow, 4998);
    assert.equal(r.endRow, 5008);
    assert.equal(r.start, 49_980);
    assert.equal(r.end, 50_080);
  });

  test('the last partial row is included and nothing past the count', () => {
    const r = visibleRange({ ...g, count: 95 }, 1e9, 650, 1);
    assert.equal(r.rows, 10);
    assert.equal(r.end, 95);
    assert.ok(r.start < 95);
  });

  test('an empty list renders nothing; a narrow box still has one column', () => {
    const r = visibleRange({ ...g, count: 0 }, 0, 650);
    assert.equal(r.end - r.start, 0);
    assert.equal(columnsFor({ cellWidth: 100, width: 30 }), 1);
  });
});

describe('keyboard movement and scrolling', () => {
  test('moves by one or by a row, clamped to the list', () => {
    assert.equal(moveIndex(5, 1, 0, 10, 100), 6);
    assert.equal(moveIndex(5, 0, 1, 10, 100), 15);
    assert.equal(moveIndex(5, 0, -1, 10, 100), 0);
    assert.equal(moveIndex(95, 0, 1, 10, 100), 99);
    assert.equal(moveIndex(-1, 1, 0, 10, 100), 0);
    assert.equal(moveIndex(0, 1, 0, 10, 0), -1);
  });

  test('scrolls only when the item is out of view', () => {
    assert.equal(scrollToReveal(15, 10, 130, 0, 650), null);
    assert.equal(scrollToReveal(60, 10, 130, 0, 650), 7 * 130 - 650);
    assert.equal(scrollToReveal(0, 10, 130, 500, 650), 0);
  });
});
