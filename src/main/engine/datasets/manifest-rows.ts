// A CSV manifest's rows, read and checked without reading any image (TensorFlow-free).
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { DatasetError, DEFAULT_INPUT_LIMITS, type InputLimits, type Sample } from '../types.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import type { ImageSource } from './decode-files.js';
import { decodeManifest } from './manifest-text.js';
import { readRegularFile } from './regular-file.js';

/** A manifest's rows (id '' until read) and the sources to read, in the manifest's order; nothing is decoded. */
export async function readManifestRows(
  manifest: string,
  opts: { limits?: Partial<InputLimits> } = {},
): Promise<{ root: string; rows: Sample[]; sources: ImageSource[] }> {
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

  return { root, rows, sources };
}
