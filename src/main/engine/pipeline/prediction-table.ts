// An imported array of numbers, one row per file: a .npy matrix, or a CSV with a `path` column
// and numeric columns. What external-predictions.ts aligns to the dataset's files.
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { CsvSyntaxError, parseCsv } from '../datasets/csv.js';
import { decodeManifest } from '../datasets/manifest-text.js';
import { readNpyMatrix } from '../datasets/npy.js';
import { DatasetError } from '../types.js';

export interface PredictionTable {
  file: string;
  rows: number;
  cols: number;
  /** rows * cols values, row after row. */
  data: Float32Array;
  /** The CSV's value column names (header order); null for .npy. */
  columns: string[] | null;
  /** Each row's path (CSV); null for .npy, whose rows follow a manifest's order. */
  paths: string[] | null;
  /** How an error names row r (0-based): "line 7" of a CSV, "row 7" of a .npy. */
  rowName: (r: number) => string;
}

/** Columns of a CSV that are never values: the row's file, and a given label beside it. */
const PATH_COLUMN = 'path';
const IGNORED_COLUMNS = new Set(['label', 'given_label', 'id']);

export async function readPredictionTable(file: string, what: string): Promise<PredictionTable> {
  const ext = extname(file).toLowerCase();
  if (ext === '.npy') {
    const m = await readNpyMatrix(file, what);
    return { file, ...m, columns: null, paths: null, rowName: (r) => `row ${r + 1}` };
  }
  if (ext === '.csv') return readCsvTable(file, what);
  throw new DatasetError(`${file}: ${what} must be a .npy or .csv file (got '${ext || 'no extension'}')`);
}

/** A text file as a string, with the file named in every error. */
export async function readTextFile(file: string, what: string): Promise<string> {
  try {
    if (!(await stat(file)).isFile()) throw new DatasetError(`${file}: ${what} is not a regular file`);
    return decodeManifest(await readFile(file), file);
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError(
      code === 'ENOENT' ? `${file}: ${what} not found` : `${file}: ${what} cannot be read (${code})`,
    );
  }
}

/** A CSV's records, header first, with CSV syntax errors naming the file. */
export function parseCsvFile(text: string, file: string): { line: number; fields: string[] }[] {
  try {
    return parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new DatasetError(`${file}: ${err.message}`);
    throw err;
  }
}

async function readCsvTable(file: string, what: string): Promise<PredictionTable> {
  const [head, ...body] = parseCsvFile(await readTextFile(file, what), file);
  if (!head) throw new DatasetError(`${file}: empty; expected a header "path,<class>,<class>..."`);
  const names = head.fields.map((h) => h.trim());
  const lower = names.map((h) => h.toLowerCase());
  const pathCol = lower.indexOf(PATH_COLUMN);
  if (pathCol < 0 || lower.lastIndexOf(PATH_COLUMN) !== pathCol)
    throw new DatasetError(
      `${file}: ${pathCol < 0 ? 'no "path" column' : 'two "path" columns'} in header "${head.fields.join(',')}"; ` +
        `each row names its file in one "path" column`,
    );
  const valueCols = names.flatMap((n, k) => (k === pathCol || IGNORED_COLUMNS.has(lower[k]!) ? [] : [k]));
  if (valueCols.length === 0) throw new DatasetError(`${file}: no ${what} columns beside "path"`);
  const columns = valueCols.map((k) => names[k]!);
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup !== undefined) throw new DatasetError(`${file}: column "${dup}" appears twice in the header`);
  if (body.length === 0) throw new DatasetError(`${file}: no rows after the header`);
  const cols = valueCols.length;
  const data = new Float32Array(body.length * cols);
  const paths: string[] = [];
  const lines: number[] = [];
  body.forEach((rec, r) => {
    if (rec.fields.length !== names.length)
      throw new DatasetError(`${file} line ${rec.line}: ${rec.fields.length} fields, the header has ${names.length}`);
    paths.push(rec.fields[pathCol]!.trim());
    lines.push(rec.line);
    valueCols.forEach((k, c) => {
      const raw = rec.fields[k]!.trim();
      const v = raw === '' ? NaN : /^[+-]?inf$/i.test(raw) ? (raw.startsWith('-') ? -Infinity : Infinity) : Number(raw);
      // NaN and Inf in the text are reported by the value checks, with their row and column.
      if (Number.isNaN(v) && !/^[+-]?nan$/i.test(raw))
        throw new DatasetError(`${file} line ${rec.line}: column "${names[k]}" is "${raw}", not a number`);
      data[r * cols + c] = v;
    });
  });
  return { file, rows: body.length, cols, data, columns, paths, rowName: (r) => `line ${lines[r]}` };
}

/** Every value finite; `nonNegative` also refuses values below 0. Errors name the row and column. */
export function checkValues(t: PredictionTable, what: string, nonNegative: boolean): void {
  for (let r = 0; r < t.rows; r++) {
    for (let c = 0; c < t.cols; c++) {
      const v = t.data[r * t.cols + c]!;
      const col = t.columns ? `column "${t.columns[c]}"` : `column ${c + 1}`;
      if (!Number.isFinite(v))
        throw new DatasetError(`${t.file} ${t.rowName(r)}: ${what} ${col} is ${v} (NaN and Inf are not allowed)`);
      if (nonNegative && v < 0) throw new DatasetError(`${t.file} ${t.rowName(r)}: ${what} ${col} is ${v}, below 0`);
    }
  }
}

/** Each row sums to 1 within `tolerance`; the first row that does not is named. */
export function checkRowSums(t: PredictionTable, tolerance: number): void {
  for (let r = 0; r < t.rows; r++) {
    let sum = 0;
    for (let c = 0; c < t.cols; c++) sum += t.data[r * t.cols + c]!;
    if (Math.abs(sum - 1) > tolerance)
      throw new DatasetError(
        `${t.file} ${t.rowName(r)}: probabilities sum to ${sum.toPrecision(6)}, not 1 (tolerance ${tolerance}); ` +
          `give softmax probabilities, not logits or scores`,
      );
  }
}
