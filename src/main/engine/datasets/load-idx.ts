import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { tf } from '../model/tf.js';
import {
  DatasetError,
  DEFAULT_INPUT_LIMITS,
  IMAGE_SIZE,
  PIXELS_PER_IMAGE,
  type LoadedDataset,
  type Sample,
} from '../types.js';
import { itemAt } from '../../../shared/checked-index.js';
import { assembleDataset } from './assemble.js';
import { resolveInRootSync } from './in-root.js';
import { formatBytes } from './regular-file.js';
import { reduceToModelSize } from './image-decode.js';
import { readIdxImages, readIdxLabels, type IdxImages } from './idx.js';
import type { LoadOptions } from './load-csv.js';
import { sampleId } from './sample-id.js';

/** `train-images-idx3-ubyte[.gz]` -> `train-labels-idx1-ubyte[.gz]`, whichever exists. */
export function findIdxLabelFile(imagesFile: string): string | null {
  const dir = dirname(imagesFile);
  const stem = basename(imagesFile)
    .replace(/\.gz$/i, '')
    .replace(/images([.-])idx3-ubyte$/i, 'labels$1idx1-ubyte');
  for (const candidate of [stem, `${stem}.gz`]) {
    if (existsSync(join(dir, candidate))) return join(dir, candidate);
  }
  return null;
}

/** Beside the IDX files, line i of this file names the class of label byte i (Unsure's export writes it). */
export const IDX_CLASS_NAMES = 'classes.txt';

/**
 * An MNIST-style IDX pair. Samples are `idx:<n>` with n the record's index in the file (so
 * an exporter can write the file back in order); labels are the label bytes as decimal
 * strings ('0'..'9' for MNIST), or the names in classes.txt when one lies beside the files.
 * Without a label file every record is unlabeled.
 * No per-image tensor work happens for 28x28 records: the bytes are used as they are.
 */
export async function loadIdx(imagesFile: string, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const maxBytes = opts.limits?.maxFileBytes ?? DEFAULT_INPUT_LIMITS.maxFileBytes;
  const realRoot = realpathSync.native(dirname(imagesFile));
  const allocate = opts.allocatePixels;
  const images = readIdxImages(
    checkIdxFile(imagesFile, realRoot, maxBytes),
    allocate &&
      ((count, rows, cols) => (rows === IMAGE_SIZE && cols === IMAGE_SIZE ? allocate(count * rows * cols) : null)),
  );
  const labelsFile = findIdxLabelFile(imagesFile);
  const labels = labelsFile === null ? null : readIdxLabels(checkIdxFile(labelsFile, realRoot, maxBytes));
  if (labels !== null && labels.length !== images.count) {
    throw new DatasetError(
      `IDX label file ${labelsFile} holds ${labels.length} labels for ${images.count} images in ${imagesFile}`,
    );
  }
  if (images.count === 0) throw new DatasetError(`IDX file ${imagesFile} holds no images`);
  const names = labels === null ? null : readClassNames(dirname(imagesFile), labels, labelsFile as string);
  opts.onProgress?.(0, images.count);

  const recordSize = images.rows * images.cols;
  // labels has images.count entries and readClassNames checked every byte has a name, so
  // these lookups throw only if those checks are broken.
  const labelOf = (n: number): string | null => {
    if (labels === null) return null;
    const byte = itemAt(labels, n, `IDX label file ${labelsFile}`);
    return names ? itemAt(names, byte, `class names for ${labelsFile}`) : String(byte);
  };
  const rows: Sample[] = Array.from({ length: images.count }, (_, n) => ({
    id: sampleId(images.pixels.subarray(n * recordSize, (n + 1) * recordSize)),
    path: `idx:${n}`,
    label: labelOf(n),
    file: null,
  }));
  const pixels =
    images.rows === IMAGE_SIZE && images.cols === IMAGE_SIZE ? images.pixels : await resizeRecords(images, opts);
  opts.onProgress?.(images.count, images.count);
  return assembleDataset('idx', dirname(imagesFile), rows, pixels, { idx: { images: imagesFile, labels: labelsFile } });
}

/** The same rules as for images: inside the folder after links, a regular file, within the size limit. */
function checkIdxFile(file: string, realRoot: string, maxBytes: number): string {
  const r = resolveInRootSync(file, realRoot);
  if (!r.ok) throw new DatasetError(`IDX file ${file}: ${r.reason}`);
  const s = statSync(r.real);
  if (!s.isFile()) throw new DatasetError(`IDX file ${file} is not a regular file`);
  if (s.size > maxBytes) {
    throw new DatasetError(
      `IDX file ${file} is ${formatBytes(s.size)}, over the ${formatBytes(maxBytes)} file size limit`,
    );
  }
  return r.real;
}

function readClassNames(dir: string, labels: Uint8Array, labelsFile: string): string[] | null {
  const file = join(dir, IDX_CLASS_NAMES);
  if (!existsSync(file)) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DatasetError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const names = text
    .replace(/^\ufeff/, '')
    .replace(/(\r?\n)+$/, '')
    .split(/\r?\n/);
  const blank = names.findIndex((n) => n.trim() === '');
  if (blank >= 0)
    throw new DatasetError(`${file} line ${blank + 1} is blank: each line names the class of one label byte`);
  let max = 0;
  for (const b of labels) if (b > max) max = b;
  if (max >= names.length) {
    throw new DatasetError(
      `${file} names ${names.length} classes, but ${labelsFile} uses label byte ${max}: one line per label byte is needed`,
    );
  }
  return names.map((n) => n.trim());
}

/** IDX files of another size (e.g. 32x32) are resized like any image, a batch at a time. */
async function resizeRecords(images: IdxImages, opts: LoadOptions): Promise<Uint8Array> {
  const out = new Uint8Array(images.count * PIXELS_PER_IMAGE);
  const recordSize = images.rows * images.cols;
  const batch = Math.max(1, Math.floor(4_000_000 / recordSize));
  for (let start = 0; start < images.count; start += batch) {
    const n = Math.min(batch, images.count - start);
    const values = tf.tidy(() => {
      const x = tf.tensor4d(
        images.pixels.subarray(start * recordSize, (start + n) * recordSize),
        [n, images.rows, images.cols, 1],
        'float32',
      );
      return reduceToModelSize(x).clipByValue(0, 255).round();
    });
    out.set(values.dataSync(), start * PIXELS_PER_IMAGE);
    values.dispose();
    opts.onProgress?.(start + n, images.count);
    await yieldToEventLoop();
  }
  return out;
}
