// Writes the corrected dataset: one folder per final class (the layout Unsure's folder
// reader opens), a manifest in CSV and JSON lines, IDX files when the source was IDX, and
// the trained model. The sources are only ever read.
import { constants as fsConstants } from 'node:fs';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, type ExportSummary } from '../../../shared/api.js';
import { entryOf, itemAt } from '../../../shared/checked-index.js';
import { encodeIdxImages, encodeIdxLabels } from '../datasets/idx.js';
import type { EngineSample, ScoreTable, SplitCopyGroup } from '../engine-types.js';
import { fileRows } from '../pipeline/file-rows.js';
import type { SampleState } from '../../../shared/journal-fold.js';
import { IMAGE_SIZE, imageAt, DIGIT_SHAPE, PIXELS_PER_IMAGE, type DatasetKind, type ImageShape } from '../types.js';
import { checkIdxShape, checkStoredPixels, copyExtension, encodeStored } from './stored-images.js';
import { classFolders, MODEL_FOLDER, safeFileStem } from './class-folders.js';
import { checkDestination, discardTempDir, makeTempDir, publish } from './export-target.js';
import { idxClassOrder } from './idx-classes.js';
import { csvHeader, csvLine, jsonLine, manifestColumns, type ManifestRow } from './manifest.js';
import { scoreRow } from '../pipeline/score-columns.js';
import { killPoint } from '../project/kill-point.js';

export const MANIFEST_CSV = 'manifest.csv';
export const MANIFEST_JSONL = 'manifest.jsonl';
export const IDX_IMAGES = 'images-idx3-ubyte';
export const IDX_LABELS = 'labels-idx1-ubyte';
export const IDX_CLASSES = 'classes.txt';

export interface ExportOptions {
  /** Destination folder (absolute): must not exist yet, be empty, or hold an earlier Unsure export. */
  dest: string;
  samples: readonly EngineSample[];
  /** samples.length stored images of `shape` (OpenResult.pixels). */
  pixels: Uint8Array;
  /** The stored image (OpenResult.shape); 28 x 28 grey when absent. */
  shape?: ImageShape;
  /** foldJournal(...).samples: who decided what, for the manifest. */
  decisions: ReadonlyMap<string, SampleState>;
  /** Final label of every sample (finalLabels), same order as samples. */
  labels: readonly (string | null)[];
  /**
   * Samples with more than one file (OpenResult.copies): every file is exported and gets
   * its manifest row, with the sample's final label. An open label conflict (no decision)
   * keeps each file's own label: the export does not pick one for the reviewer.
   */
  copies?: readonly SplitCopyGroup[];
  /** Scores for the manifest's score columns. */
  table?: ScoreTable;
  /** Dataset roots the export may not be written into. */
  sourceRoots: readonly string[];
  /** Kind(s) of the source datasets; IDX files are written when one is 'idx'. Inferred from `idx:` sample paths when absent. */
  sourceKind?: DatasetKind | readonly DatasetKind[];
  /** Saves the trained model (weights, classes, provenance) into the given folder. */
  saveModel?: (dir: string) => Promise<void>;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Files copied or encoded at once: enough to hide file-system latency without hoarding descriptors. */
const PARALLEL_WRITES = 8;

export async function exportDataset(opts: ExportOptions): Promise<ExportSummary> {
  const { samples, labels, pixels, table } = opts;
  const n = samples.length;
  if (labels.length !== n) throw new ApiError('bad_request', `export: ${labels.length} labels for ${n} samples`);
  const shape = opts.shape ?? DIGIT_SHAPE;
  checkStoredPixels(pixels, n, shape);
  if (table && table.predicted.length !== n) {
    throw new ApiError('bad_request', `export: score table has ${table.predicted.length} rows for ${n} samples`);
  }
  const dest = await checkDestination(opts.dest, opts.sourceRoots);
  const files = fileRows(samples, opts.copies ?? []);
  const m = files.length;
  // The label each file is exported with.
  const fileLabels = files.map((f) =>
    f.conflict && labels[f.sample] === null && !opts.decisions.get(f.id)?.decided
      ? f.label
      : itemAt(labels, f.sample, 'export labels'),
  );
  const kinds =
    opts.sourceKind === undefined ? [] : typeof opts.sourceKind === 'string' ? [opts.sourceKind] : opts.sourceKind;
  const writeIdx =
    kinds.includes('idx') || (opts.sourceKind === undefined && samples.some((s) => s.path.startsWith('idx:')));
  if (writeIdx) checkIdxShape(shape);
  const idxClasses = writeIdx ? idxClassOrder(fileLabels, table?.classes ?? []) : null;

  const total = m + 1 + (writeIdx ? 1 : 0) + (opts.saveModel ? 1 : 0);
  let done = 0;
  const step = Math.max(1, Math.floor(total / 200));
  const tick = (k = 1) => {
    done += k;
    if (done === total || done % step === 0) opts.onProgress?.(done, total);
  };
  const checkAbort = () => {
    if (opts.signal?.aborted) throw new ApiError('failed', 'export cancelled');
  };

  const temp = await makeTempDir(dest);
  const tmp = temp.dir;
  try {
    const folders = classFolders(fileLabels.filter((l): l is string => l !== null));
    const folderOfFile = fileLabels.map((l) =>
      l === null ? folders.unlabeled : entryOf(folders.folderOf, l, 'export class folders'),
    );
    for (const f of new Set(folderOfFile)) await mkdir(path.join(tmp, f));

    // Names are fixed up front so that parallel writes never race for the same name.
    const used = new Set<string>();
    const extensions = await Promise.all(files.map(async (f) => (f.file ? copyExtension(f.file) : '.png')));
    const relPaths = files.map((f, j) => {
      const ext = itemAt(extensions, j, 'export extensions');
      const stem = safeFileStem(f.id);
      let name = `${stem}${ext}`;
      for (let k = 2; used.has(`${folderOfFile[j]}/${name}`.toLowerCase()); k++) name = `${stem}-${k}${ext}`;
      used.add(`${folderOfFile[j]}/${name}`.toLowerCase());
      return `${folderOfFile[j]}/${name}`;
    });

    let next = 0;
    let failed = false;
    const worker = async () => {
      for (let j = next++; j < m && !failed; j = next++) {
        checkAbort();
        const f = itemAt(files, j, 'export files');
        const target = path.join(tmp, itemAt(relPaths, j, 'export paths'));
        if (f.file) {
          // The original bytes, never a re-encode of what the model saw: the export is the user's dataset, corrected.
          try {
            await copyFile(f.file, target, fsConstants.COPYFILE_EXCL);
          } catch (err) {
            throw new ApiError('failed', `export: cannot copy ${f.file}: ${(err as Error).message}`);
          }
        } else {
          await writeFile(target, encodeStored(pixels, f.sample, shape), { flag: 'wx' });
        }
        tick();
      }
    };
    // Every writer must have stopped before the temp folder is removed on failure, or a late
    // write could recreate part of it.
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(PARALLEL_WRITES, Math.max(1, m)) }, () =>
        worker().catch((err: unknown) => {
          failed = true;
          throw err;
        }),
      ),
    );
    const firstFailure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (firstFailure) throw firstFailure.reason;
    killPoint('export-images-written');

    // IDX holds the labeled files only (an IDX label file has no "unlabeled").
    const idxIndex = new Int32Array(m).fill(-1);
    let idxFiles = 0;
    if (idxClasses) {
      checkAbort();
      const byteOf = new Map(idxClasses.map((c, k) => [c, k]));
      const rows: number[] = [];
      fileLabels.forEach((l, j) => {
        if (l !== null) {
          idxIndex[j] = rows.length;
          rows.push(j);
        }
      });
      const imgs = new Uint8Array(rows.length * PIXELS_PER_IMAGE);
      const lbls = new Uint8Array(rows.length);
      rows.forEach((j, r) => {
        imgs.set(imageAt(pixels, itemAt(files, j, 'export files').sample), r * PIXELS_PER_IMAGE);
        lbls[r] = entryOf(byteOf, itemAt(fileLabels, j, 'export labels') ?? '', 'IDX label bytes');
      });
      await writeFile(path.join(tmp, IDX_IMAGES), encodeIdxImages(imgs, rows.length, IMAGE_SIZE, IMAGE_SIZE));
      await writeFile(path.join(tmp, IDX_LABELS), encodeIdxLabels(lbls));
      await writeFile(path.join(tmp, IDX_CLASSES), idxClasses.join('\n') + '\n');
      idxFiles = 3;
      tick();
    }

    checkAbort();
    const columns = manifestColumns(writeIdx, table !== undefined);
    const csv: string[] = [csvHeader(columns)];
    const jsonl: string[] = [];
    const perClass: Record<string, number> = {};
    let corrected = 0;
    files.forEach((f, j) => {
      const label = itemAt(fileLabels, j, 'export labels');
      const d = opts.decisions.get(f.id);
      const row: ManifestRow = {
        path: itemAt(relPaths, j, 'export paths'),
        label,
        id: f.id,
        split: f.split,
        source_path: f.path,
        source_file: f.file,
        original_label: f.label,
        decision: d?.action ?? null,
        decided_at: d?.at ?? null,
        reviewer: d?.reviewer ?? null,
        duplicate_of: f.duplicateOf || null,
        ...(writeIdx ? { idx_index: nonNegative(itemAt(idxIndex, j, 'export IDX rows')) } : {}),
        ...(table ? scoreRow(table, f.sample) : {}),
      };
      csv.push(csvLine(columns, row));
      jsonl.push(jsonLine(columns, row));
      const key = label ?? folders.unlabeled;
      perClass[key] = (perClass[key] ?? 0) + 1;
      if (label !== f.label) corrected++;
    });
    await writeFile(path.join(tmp, MANIFEST_CSV), csv.join(''));
    await writeFile(path.join(tmp, MANIFEST_JSONL), jsonl.join(''));
    tick();

    let modelFiles = 0;
    if (opts.saveModel) {
      checkAbort();
      const modelDir = path.join(tmp, MODEL_FOLDER);
      await mkdir(modelDir);
      await opts.saveModel(modelDir);
      modelFiles = await countFiles(modelDir);
      tick();
    }

    checkAbort();
    await publish(temp, dest);
    return {
      dir: dest,
      files: m + 2 + idxFiles + modelFiles,
      perClass,
      manifest: [path.join(dest, MANIFEST_CSV), path.join(dest, MANIFEST_JSONL)],
      corrected,
      modelIncluded: opts.saveModel !== undefined,
    };
  } catch (err) {
    await discardTempDir(temp);
    throw err;
  }
}

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  // Hidden files are Unsure's markers, not part of what the user gets.
  return entries.filter((e) => e.isFile() && !e.name.startsWith('.')).length;
}

const nonNegative = (x: number): number | null => (x >= 0 ? x : null);
