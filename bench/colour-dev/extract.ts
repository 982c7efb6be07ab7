// Backbone features of the development split, cached once as .f32 files so the head
// experiments (heads.ts) take seconds. For each size: <part>.f32 and <part>-flip.f32 (the
// images mirrored), n x dim rows: the pooled 1280-d out_relu then the pooled taps of TAPS;
// and <part>[-flip]-b15.f32, block_15_add's spatial output (for fine-tuning the top block).
// node --import tsx bench/colour-dev/extract.ts 224 160 128 96
import { mkdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { loadBackbone } from '../../src/main/engine/model/backbone.js';
import { tf } from '../../src/main/engine/model/tf.js';
import { devSplit, FEATURE_CACHE } from './split.js';

export const TAPS = ['block_13_expand_relu', 'block_14_add', 'block_15_add', 'block_16_project_BN'];
const SPATIAL = 'block_15_add';
const BATCH = 32;

async function decode(file: string, size: number, flip: boolean): Promise<Uint8Array> {
  const { data } = await sharp(file)
    .removeAlpha()
    .toColourspace('srgb')
    .resize(size, size, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (!flip) return new Uint8Array(data);
  const out = new Uint8Array(data.length);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 3; c++) out[(y * size + x) * 3 + c] = data[(y * size + (size - 1 - x)) * 3 + c]!;
  return out;
}

function save(file: string, a: Float32Array): void {
  writeFileSync(file + '.tmp', new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  renameSync(file + '.tmp', file);
}

for (const size of process.argv.slice(2).map(Number)) {
  const bb = await loadBackbone(undefined, { inputSize: size, taps: TAPS, batch: BATCH, graph: false, scales: [] });
  const spatialLayer = bb.net!.getLayer(SPATIAL).output as tf.SymbolicTensor;
  // One forward pass gives the pooled rows and the spatial block_15 output together.
  // block_15_add is one of the taps: the same forward pass gives it unpooled.
  const net = bb.net!;
  const spatialAt = 1 + TAPS.indexOf(SPATIAL);
  const dir = path.join(FEATURE_CACHE, `s${size}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'meta.json'),
    JSON.stringify({
      size,
      dims: [1280, ...TAPS.map((t) => (bb.net!.getLayer(t).output as tf.SymbolicTensor).shape[3])],
      taps: TAPS,
      spatial: SPATIAL,
      spatialShape: (spatialLayer.shape as number[]).slice(1),
    }),
  );
  // Plain views of every part first, mirrored ones after (FLIPS=0 skips them).
  const flips = process.env.FLIPS === '0' ? [false] : [false, true];
  const parts = devSplit();
  for (const part of parts)
    writeFileSync(
      path.join(dir, `${part.name}-labels.json`),
      JSON.stringify({ labels: [...part.labels], files: part.files }),
    );
  for (const flip of flips) {
    for (const part of parts) {
      const stem = path.join(dir, `${part.name}${flip ? '-flip' : ''}`);
      if (existsSync(stem + '.f32')) continue;
      const n = part.files.length;
      const per = size * size * 3;
      const feats = new Float32Array(n * bb.featureDim);
      const sp = spatialLayer.shape as number[];
      const spPer = sp[1]! * sp[2]! * sp[3]!;
      const spatial = new Float32Array(n * spPer);
      const t0 = performance.now();
      let pure = 0;
      for (let s = 0; s < n; s += BATCH) {
        const m = Math.min(BATCH, n - s);
        const px = new Uint8Array(BATCH * per);
        const imgs = await Promise.all(part.files.slice(s, s + m).map((f) => decode(f, size, flip)));
        imgs.forEach((im, i) => px.set(im, i * per));
        const t1 = performance.now();
        const [rows, sx] = tf.tidy(() => {
          const x = tf.tensor4d(px, [BATCH, size, size, 3], 'int32').toFloat().div(127.5).sub(1);
          const outs = net.predict(x, { batchSize: BATCH }) as tf.Tensor4D[];
          return [
            tf.concat(
              outs.map((o) => tf.mean(o, [1, 2])),
              1,
            ),
            outs[spatialAt]!,
          ];
        });
        const rowData = await rows.data();
        pure += performance.now() - t1;
        feats.set(rowData.subarray(0, m * bb.featureDim), s * bb.featureDim);
        spatial.set((await sx.data()).subarray(0, m * spPer), s * spPer);
        rows.dispose();
        sx.dispose();
      }
      save(stem + '.f32', feats);
      save(stem + '-b15.f32', spatial);
      const secs = (performance.now() - t0) / 1000;
      console.log(
        `s${size} ${part.name}${flip ? ' flip' : ''}: ${n} images, dim ${bb.featureDim}, backbone ${(n / (pure / 1000)).toFixed(1)} img/s, all ${secs.toFixed(0)} s`,
      );
    }
  }
  bb.dispose();
}
