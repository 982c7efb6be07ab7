import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DetailCache } from '../../src/renderer/src/samples/detail-cache.js';

describe('DetailCache', () => {
  test('a prefetch and a later request for the same key share one load', async () => {
    const c = new DetailCache<string>();
    let loads = 0;
    let release!: (v: string) => void;
    const load = () => {
      loads++;
      return new Promise<string>((r) => (release = r));
    };
    const a = c.fetch('k', load);
    const b = c.fetch('k', load);
    assert.equal(c.get('k'), undefined, 'nothing is cached before the answer arrives');
    release('detail');
    assert.deepEqual(await Promise.all([a, b]), ['detail', 'detail']);
    assert.equal(loads, 1);
    assert.equal(c.get('k'), 'detail', 'the answer is then readable synchronously');
    assert.equal(await c.fetch('k', load), 'detail');
    assert.equal(loads, 1, 'a cached key is never loaded again');
  });

  test('a failed load is not cached: the next request retries', async () => {
    const c = new DetailCache<string>();
    await assert.rejects(
      c.fetch('k', () => Promise.reject(new Error('server busy'))),
      /server busy/,
    );
    assert.equal(c.get('k'), undefined);
    assert.equal(await c.fetch('k', () => Promise.resolve('ok')), 'ok');
  });

  test('past the limit the oldest answers go first', async () => {
    const c = new DetailCache<number>(3);
    for (let i = 0; i < 5; i++) await c.fetch(`k${i}`, () => Promise.resolve(i));
    assert.deepEqual(
      ['k0', 'k1', 'k2', 'k3', 'k4'].map((k) => c.get(k)),
      [undefined, undefined, 2, 3, 4],
    );
  });
});
