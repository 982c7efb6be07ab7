// A second open of photos reads their previews from the project folder instead of decoding
// them: real files through openDatasets twice. The cache is shown to be read by changing a
// preview in it; one of another recipe, or cut short, is ignored; a new file rewrites it; a
// limit lowered since still refuses a file whose preview is kept.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { openDatasets } from '../../src/main/engine/datasets/open-datasets.js';
import { PREVIEW } from '../../src/main/engine/datasets/decode-files.js';
import { previewCacheFile } from '../../src/main/engine/datasets/preview-cache.js';
import { bytesPerImage } from '../../src/main/engine/types.js';

const root = mkdtempSync(path.join(tmpdir(), 'unsure-previews-'));
after(() => rmSync(root, { recursive: true, force: true }));
const train = path.join(root, 'train');
const projectDir = path.join(root, 'project');
const SIZE = bytesPerImage(PREVIEW);

async function photo(file: string, seed: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const [w, h] = [40 + seed * 3, 30 + seed];
  const px = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * (seed + 7) + seed * 31) % 256);
  writeFileSync(
    file,
    await sharp(px, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

for (let i = 0; i < 6; i++) await photo(path.join(train, i % 2 ? 'cat' : 'dog', `p${i}.png`), i);

/** An open as the engine makes it: the previews are kept once the open has succeeded. */
async function open(limits?: { maxPixels: number }) {
  const opened = await openDatasets(
    { train, projectDir, ...(limits ? { limits } : {}) },
    (n) => new Uint8Array(n),
    () => {},
  );
  await opened.keepPreviews();
  return opened;
}

/** The header's length and the offset of preview `i` in the cache file. */
function offsetOf(i: number): number {
  return 4 + readFileSync(previewCacheFile(projectDir)).readUInt32LE(0) + i * SIZE;
}

test('the first open keeps the previews once it has succeeded; the second reads them', async () => {
  const unkept = await openDatasets(
    { train, projectDir },
    (n) => new Uint8Array(n),
    () => {},
  );
  assert.equal(existsSync(projectDir), false, 'nothing is written before keepPreviews');
  assert.equal(unkept.result.family.arch, 'backbone');
  const first = (await open()).result;
  assert.equal(first.family.arch, 'backbone');
  const file = previewCacheFile(projectDir);
  assert.equal(statSync(file).size, offsetOf(first.samples.length));
  const again = (await open()).result;
  assert.deepEqual(again.pixels, first.pixels);
  assert.deepEqual(
    again.samples.map((s) => s.size),
    first.samples.map((s) => s.size),
  );
  // The cache is what the second open shows: a preview changed in it comes back changed.
  const bytes = readFileSync(file);
  bytes.fill(0xab, offsetOf(2), offsetOf(3));
  writeFileSync(file, bytes);
  const read = (await open()).result;
  assert.ok(read.pixels.subarray(2 * SIZE, 3 * SIZE).every((v) => v === 0xab));
  assert.deepEqual(read.pixels.subarray(0, 2 * SIZE), first.pixels.subarray(0, 2 * SIZE));
});

test('a cache of another recipe or cut short is ignored and made again', async () => {
  const truth = (await open()).result.pixels;
  const file = previewCacheFile(projectDir);
  for (const spoil of [
    (b: Buffer) => Buffer.from(b.toString('latin1').replace('height\\":64', 'height\\":65'), 'latin1'),
    (b: Buffer) => b.subarray(0, b.length - 10),
  ]) {
    writeFileSync(file, spoil(readFileSync(file)));
    const decoded = (await open()).result;
    // Decoded again, and the cache written anew and whole.
    assert.notEqual(decoded.pixels.subarray(2 * SIZE, 3 * SIZE)[0], 0xab);
    assert.equal(statSync(file).size, offsetOf(decoded.samples.length));
    const second = (await open()).result;
    assert.deepEqual(second.pixels, decoded.pixels);
    assert.deepEqual(decoded.pixels.length, truth.length);
  }
});

test('a new file is decoded and the cache rewritten to hold it', async () => {
  await photo(path.join(train, 'cat', 'p9.png'), 9);
  const opened = (await open()).result;
  assert.equal(opened.samples.length, 7);
  assert.equal(statSync(previewCacheFile(projectDir)).size, offsetOf(7));
  const before = statSync(previewCacheFile(projectDir)).mtimeMs;
  await open();
  assert.equal(statSync(previewCacheFile(projectDir)).mtimeMs, before, 'nothing new: not written again');
});

test('a limit lowered since the previews were kept still refuses the file', async () => {
  // p5 is 55 x 35 = 1,925 pixels and p9 67 x 39; the rest are smaller.
  const opened = (await open({ maxPixels: 1_900 })).result;
  assert.deepEqual((opened.skipped ?? []).map((s) => s.path).sort(), ['cat/p5.png', 'cat/p9.png']);
});
