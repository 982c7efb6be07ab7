import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { DatasetError, DEFAULT_INPUT_LIMITS, type InputLimits, type LoadedDataset, type Sample } from '../types.js';
import { assembleDataset } from './assemble.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import { decodeFiles, type ImageSource } from './decode-files.js';
import { itemAt } from '../../../shared/checked-index.js';
import { realRootOf } from './in-root.js';
import { decodeManifest } from './manifest-text.js';
import { readRegularFile } from './regular-file.js';

export interface LoadOptions {
  onProgress?: (done: number, total: number) => void;
  /** Shift each image's centre of mass to the middle, as MNIST does (default true). */
  centre?: boolean;
  /** Per-file limits (default DEFAULT_INPUT_LIMITS). */
  limits?: Partial<InputLimits>;
  /** Fail on the first refused file instead of skipping it (default false). */
  strict?: boolean;
  /**
   * Where to put the pixels when a loader reads them as they are (28x28 IDX records): lets
   * the caller read them straight into its own buffer. Other loaders ignore it.
   */
  allocatePixels?: (bytes: number) => Uint8Array;
}

/**
 * A manifest: header `path,label` (any order, any case), one row per image, paths relative
 * to the manifest's folder; an empty label is an unlabeled row. Columns after these are
 * ignored (Unsure's own export adds audit columns such as id and decision), except when
 * there is no `label` column: then another column is most likely a misnamed label, and it is
 * reported rather than silently giving an unlabeled pool. A header of `path` alone is an
 * unlabeled pool. Paths may not leave the manifest's folder: the dataset root is what gets
 * exported, and a manifest must not reach into the rest of the disk.
 */
export async function loadCsvManifest(manifest: string, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const root = dirname(manifest);
  const name = basename(manifest);
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(manifest, opts.limits?.maxFileBytes ?? DEFAULT_INPUT_LIMITS.maxFileBytes);
  } catch (err) {
    const why = (err as Error).message;
    throw new DatasetError(
      why.startsWith('is ') ? `Manifest ${manifest} ${why}` : `Cannot read manifest ${manifest}: ${why}`,
    );
  }
  const text = decodeManifest(bytes, manifest);
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new DatasetError(`Manifest ${manifest}: ${err.message}`);
    throw err;
  }
  const [headRecord, ...body] = records;
  if (!headRecord) throw new DatasetError(`Manifest ${manifest} is empty: expected a header line "path,label"`);

  const header = headRecord.fields.map((h) => h.trim().toLowerCase());
  const others = header.filter((h) => h !== 'path' && h !== 'label');
  const named = (cols: string[]) => `column${cols.length > 1 ? 's' : ''} ${cols.map((c) => `"${c}"`).join(', ')}`;
  const shown = `header "${headRecord.fields.join(',')}"; expected "path,label"`;
  if (!header.includes('path')) {
    const unknown = others.length > 0 ? ` (unknown ${named(others)})` : '';
    throw new DatasetError(`Manifest ${manifest}: missing column "path"${unknown} in ${shown}`);
  }
  if (!header.includes('label') && others.length > 0) {
    throw new DatasetError(
      `Manifest ${manifest}: no "label" column, unknown ${named(others)} in ${shown} (or "path" alone for an unlabeled pool)`,
    );
  }
  for (const col of ['path', 'label']) {
    if (header.indexOf(col) !== header.lastIndexOf(col)) {
      throw new DatasetError(`Manifest ${manifest}: column "${col}" appears twice in the header`);
    }
  }
  const pathCol = header.indexOf('path');
  const labelCol = header.indexOf('label');

  const rows: Sample[] = [];
  const sources: ImageSource[] = [];
  for (const record of body) {
    const where = `${name} line ${record.line}`;
    if (record.fields.length !== header.length) {
      throw new DatasetError(
        `Manifest ${manifest} line ${record.line}: ${record.fields.length} fields, the header has ${header.length}`,
      );
    }
    // The record has header.length fields (checked above) and pathCol is a header column.
    const written = record.fields[pathCol]!.trim();
    if (written === '') throw new DatasetError(`Manifest ${manifest} line ${record.line}: empty path`);
    const file = isAbsolute(written) ? resolve(written) : resolve(root, written);
    const rel = relative(root, file);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new DatasetError(
        `Manifest ${manifest} line ${record.line}: path "${written}" is outside the manifest's folder ${root}`,
      );
    }
    const label = labelCol >= 0 ? record.fields[labelCol]!.trim() : '';
    rows.push({ id: '', path: written, label: label === '' ? null : label, file });
    sources.push({ file, name: `${where} ("${written}")` });
  }
  if (rows.length === 0) throw new DatasetError(`Manifest ${manifest} lists no images (only a header)`);

  const realRoot = realRootOf(root);
  if (realRoot === null) throw new DatasetError(`Cannot read manifest ${manifest}: its folder cannot be resolved`);
  const decoded = await decodeFiles(sources, { ...opts, where: manifest, realRoot });
  // Sample.file is the resolved, in-root path: what the media routes serve and export copies.
  // kept indexes the sources, one per row.
  const kept = decoded.kept.map((k) => ({ ...itemAt(rows, k.source, 'rows'), id: k.id, file: k.file }));
  return assembleDataset('csv', root, kept, decoded.pixels, { skipped: decoded.skipped });
}
