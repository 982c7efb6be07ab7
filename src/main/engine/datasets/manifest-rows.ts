// A CSV manifest's rows, read and checked without reading any image (TensorFlow-free).
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DatasetError, DEFAULT_INPUT_LIMITS, type InputLimits, type Sample } from '../types.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import type { ImageSource } from './decode-files.js';
import { decodeManifest } from './manifest-text.js';
import { readRegularFile } from './regular-file.js';

/**
 * The names a manifest's columns go by, first choice first: "path,label", and the names other
 * tools' CSVs give them (Kaggle's "filename,class", "image,category", ...). An export's audit
 * column "id" is a content hash, never a path.
 */
const PATH_COLUMNS = ['path', 'filepath', 'file_path', 'filename', 'file_name', 'file', 'image', 'image_path', 'img'];
const LABEL_COLUMNS = ['label', 'class', 'class_name', 'category', 'target', 'label_name'];

/** Rows checked to decide where a manifest's paths point. */
const PROBE_ROWS = 20;

/**
 * The one subfolder of `root` that holds the files the first rows name, when none of them
 * exists beside the manifest; null otherwise (paths relative to the manifest, the rule).
 */
async function imagesFolderOf(root: string, rows: readonly Sample[]): Promise<string | null> {
  const probe = rows.slice(0, PROBE_ROWS).filter((r) => !isAbsolute(r.path));
  if (probe.length === 0 || (await Promise.all(probe.map((r) => isFile(r.file!)))).some(Boolean)) return null;
  let subs;
  try {
    subs = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.'));
  } catch {
    return null;
  }
  const holding: string[] = [];
  for (const sub of subs) {
    const found = await Promise.all(probe.map((r) => isFile(join(root, sub.name, r.path))));
    if (found.every(Boolean)) holding.push(sub.name);
  }
  return holding.length === 1 ? holding[0]! : null;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The first of `names` the (lower-cased) header has; null if none. */
function columnNamed(header: readonly string[], names: readonly string[]): string | null {
  return names.find((n) => header.includes(n)) ?? null;
}

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
  const pathName = columnNamed(header, PATH_COLUMNS);
  const labelName = columnNamed(header, LABEL_COLUMNS);
  const others = header.filter((h) => h !== pathName && h !== labelName);
  const named = (cols: string[]) => `column${cols.length > 1 ? 's' : ''} ${cols.map((c) => `"${c}"`).join(', ')}`;
  const shown = `header "${headRecord.fields.join(',')}"; expected "path,label"`;
  if (pathName === null) {
    const unknown = others.length > 0 ? ` (unknown ${named(others)})` : '';
    throw new DatasetError(`Manifest ${manifest}: missing column "path"${unknown} in ${shown}`);
  }
  if (labelName === null && others.length > 0) {
    throw new DatasetError(
      `Manifest ${manifest}: no "label" column, unknown ${named(others)} in ${shown} (or "path" alone for an unlabeled pool)`,
    );
  }
  for (const col of [pathName, labelName]) {
    if (col !== null && header.indexOf(col) !== header.lastIndexOf(col)) {
      throw new DatasetError(`Manifest ${manifest}: column "${col}" appears twice in the header`);
    }
  }
  const pathCol = header.indexOf(pathName);
  const labelCol = labelName === null ? -1 : header.indexOf(labelName);

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
    // A manifest written on Windows separates with backslashes, which POSIX reads as part of a name.
    const cell = record.fields[pathCol]!.trim();
    const written = sep === '/' ? cell.replace(/\\/g, '/') : cell;
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

  const base = await imagesFolderOf(root, rows);
  if (base === null) return { root, rows, sources };
  // The paths name files of one subfolder (Kaggle's train.csv beside train/): read them there.
  const rebased = rows.map((r) => ({ ...r, path: `${base}/${r.path}`, file: resolve(root, base, r.path) }));
  return { root, rows: rebased, sources: rebased.map((r, i) => ({ ...sources[i]!, file: r.file! })) };
}
