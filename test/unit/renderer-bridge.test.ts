import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { UnsureBridge } from '../../src/shared/api.js';
import { fromPreload } from '../../src/renderer/src/from-preload.js';

describe("the preload's bridge in the renderer", () => {
  test('keeps the desktop-only parts: dropped paths and the native dialogs', async () => {
    const preload: UnsureBridge = {
      mode: 'electron',
      invoke: () => Promise.reject(new Error('unused')),
      onEvent: () => () => {},
      imageUrl: (id) => `unsure-media://sample/${id}`,
      sheetUrl: () => 'unsure-media://sheet/',
      pathForFile: () => '/data/pets',
      choosePath: (purpose) => Promise.resolve(`/chosen/${purpose}`),
    };
    const b = fromPreload(preload);
    assert.equal(b.mode, 'electron');
    assert.equal(b.imageUrl('abc'), 'unsure-media://sample/abc');
    assert.equal(b.pathForFile?.(new Blob([])), '/data/pets');
    assert.equal(await b.choosePath?.('export'), '/chosen/export');
    assert.equal(typeof b.onConnection(() => {}), 'function');
  });
});
