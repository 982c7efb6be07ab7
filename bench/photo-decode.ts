// Photo decoding speed: decodePhotos on generated JPEGs (photo-sized and CIFAR-sized) to the
// backbone's 224 x 224 input and a 64 x 64 preview, at several concurrencies.
//
//   node --import tsx bench/photo-decode.ts [--files 300] [--width 500] [--height 375] [--reps 2]
//
// The files are made once in a temp folder (a smooth colour pattern with noise, so JPEG sizes
// are like photos'). Each concurrency runs `reps` times; the best and the median are printed,
// with the load average, because the machine may be shared.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodePhotos, type PhotoFile, type PhotoTarget } from '../src/main/engine/datasets/photo-decode.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0)
    throw new Error(`--${name}: expected a positive integer, got ${process.argv[i + 1]}`);
  return v;
}

const FILES = arg('files', 300);
const REPS = arg('reps', 2);
const SIZES = [
  [arg('width', 500), arg('height', 375)],
  [32, 32],
] as const;
const TARGETS: PhotoTarget[] = [
  { height: 224, width: 224, channels: 3, resize: 'fit', background: [0, 0, 0] },
  { height: 64, width: 64, channels: 3, resize: 'fit', background: [0, 0, 0] },
];

async function makeFiles(dir: string, w: number, h: number): Promise<PhotoFile[]> {
  const files: PhotoFile[] = [];
  for (let n = 0; n < FILES; n++) {
    const raw = Buffer.alloc(w * h * 3);
    let seed = n * 2654435761;
    for (let i = 0; i < raw.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const p = Math.floor(i / 3);
      raw[i] = (((p % w) * 255) / w + ((p / w) * 128) / h + (i % 3) * 60 + (seed >>> 27)) & 0xff;
    }
    const file = join(dir, `${w}x${h}-${n}.jpg`);
    writeFileSync(
      file,
      await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
    files.push({ file, name: `${n}.jpg` });
  }
  return files;
}

const dir = mkdtempSync(join(os.tmpdir(), 'unsure-bench-photo-'));
try {
  console.log(
    `photo decode: ${FILES} files, targets 224x224 + 64x64 (fit); ${os.availableParallelism()} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const [w, h] of SIZES) {
    const files = await makeFiles(dir, w, h);
    for (const concurrency of [1, 2, 4]) {
      const secs: number[] = [];
      for (let r = 0; r < REPS; r++) {
        const t0 = process.hrtime.bigint();
        const got = await decodePhotos(files, TARGETS, { concurrency });
        secs.push(Number(process.hrtime.bigint() - t0) / 1e9);
        if (got.failures.length) throw new Error(`${got.failures.length} files failed: ${got.failures[0]!.reason}`);
      }
      secs.sort((a, b) => a - b);
      const best = secs[0]!;
      const median = secs[Math.floor(secs.length / 2)]!;
      console.log(
        `  ${w} x ${h} JPEG, concurrency ${concurrency}: ${(FILES / best).toFixed(0)} images/s best, ${(FILES / median).toFixed(0)} median`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
