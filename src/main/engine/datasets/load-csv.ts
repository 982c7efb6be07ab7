import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { DatasetError, type LoadedDataset, type Sample } from '../types.js';
import { assembleDataset } from './assemble.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import { decodeFiles, type ImageSource } from './decode-files.js';

export interface LoadOptions {
  onProgress?: (done: number, total: number) => void;
  /** Shift each image's centre of mass to the middle, as MNIST does (default true). */
  centre?: boolean;
}

const KNOWN_COLUMNS = ['path', 'label'];

/**
 * A manifest: header `path,label` (any order, any case; `label` may be left out for an
 * unlabeled pool), one row per image, paths relative to the manifest's folder. An empty
 * label is an unlabeled row. Paths may not leave the manifest's folder: the dataset root
 * is what gets exported, and a manifest must not reach into the rest of the disk.
 */
export async function loadCsvManifest(manifest: string, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const root = dirname(manifest);
  const name = basename(manifest);
  let text: string;
  try {
    text = await readFile(manifest, 'utf8');
  } catch (err) {
    throw new DatasetError(`Cannot read manifest ${manifest}: ${(err as Error).message}`);
  }
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new DatasetError(`Manifest ${manifest}: ${err.message}`);
    throw err;
  }
  if (records.length === 0) throw new DatasetError(`Manifest ${manifest} is empty: expected a header line "path,label"`);

  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !KNOWN_COLUMNS.includes(h));
  if (unknown.length > 0 || !header.includes('path')) {
    const problems: string[] = [];
    if (unknown.length > 0) problems.push(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}`);
    if (!header.includes('path')) problems.push('missing column "path"');
    throw new DatasetError(
      `Manifest ${manifest}: ${problems.join(' and ')} in header "${records[0].fields.join(',')}"; expected "path,label"`,
    );
  }
  const duplicated = header.find((h, i) => header.indexOf(h) !== i);
  if (duplicated) throw new DatasetError(`Manifest ${manifest}: column "${duplicated}" appears twice in the header`);
  const pathCol = header.indexOf('path');
  const labelCol = header.indexOf('label');

  const rows: Sample[] = [];
  const sources: ImageSource[] = [];
  for (const record of records.slice(1)) {
    const where = `${name} line ${record.line}`;
    if (record.fields.length !== header.length) {
      throw new DatasetError(
        `Manifest ${manifest} line ${record.line}: ${record.fields.length} fields, the header has ${header.length}`,
      );
    }
    const written = record.fields[pathCol].trim();
    if (written === '') throw new DatasetError(`Manifest ${manifest} line ${record.line}: empty path`);
    const file = isAbsolute(written) ? resolve(written) : resolve(root, written);
    const rel = relative(root, file);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new DatasetError(
        `Manifest ${manifest} line ${record.line}: path "${written}" is outside the manifest's folder ${root}`,
      );
    }
    const label = labelCol >= 0 ? record.fields[labelCol].trim() : '';
    rows.push({ id: '', path: written, label: label === '' ? null : label, file });
    sources.push({ file, name: `${where} ("${written}")` });
  }
  if (rows.length === 0) throw new DatasetError(`Manifest ${manifest} lists no images (only a header)`);

  const { ids, pixels } = await decodeFiles(sources, { ...opts, where: manifest });
  rows.forEach((row, i) => (row.id = ids[i]));
  return assembleDataset('csv', root, rows, pixels);
}
