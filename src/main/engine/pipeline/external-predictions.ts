// Predictions made anywhere (cleanlab's interface): a probability matrix and optionally a
// feature matrix, one row per file of the dataset, read from .npy or CSV and checked before
// anything is scored. Rows: a CSV's `path` column is matched to the dataset's files; a .npy
// follows a manifest's order (`--manifest`, or what `unsure manifest <dataset>` prints).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatasetError } from '../types.js';
import {
  checkRowSums,
  checkValues,
  parseCsvFile,
  readPredictionTable,
  readTextFile,
  type PredictionTable,
} from './prediction-table.js';
import { matchRows } from './prediction-rows.js';

/** How far a row's probabilities may sum from 1 (float32 softmax outputs are within 1e-6). */
export const SUM_TOLERANCE = 1e-3;

export interface PredictionsSpec {
  /** .npy or .csv, files.length x C probabilities. */
  predProbs: string;
  /** .npy or .csv, files.length x D features, in the same row order as predProbs. */
  features?: string;
  /** The class of each probability column, in order (`--classes a,b,c`). */
  classes?: string[];
  /** A CSV with a `path` column giving the .npy files' row order (`--manifest`). */
  manifest?: string;
  /**
   * The row order of a .npy when there is no manifest: the paths `unsure manifest` prints
   * (files the dataset later skipped included). Without it, the .npy follows `files`.
   */
  listed?: string[];
  /** The dataset's rows, one per file, in Unsure's order. */
  files: { path: string; label: string | null }[];
  /** Paths of files the dataset skipped when opened: rows naming them are left out. */
  skipped?: string[];
  /** The dataset's class names ('other' excluded), sorted as Unsure sorts them. */
  datasetClasses: string[];
}

export interface ExternalPredictions {
  /** files.length x classes.length, in the order of `files`. */
  probs: Float32Array;
  /** files.length x dim, or null without --features. */
  features: Float32Array | null;
  dim: number;
  /** Class of each probability column. */
  classes: string[];
  /** Where the column order came from, for the output. */
  classSource: string;
  notes: string[];
}

export async function readPredictions(spec: PredictionsSpec): Promise<ExternalPredictions> {
  const notes: string[] = [];
  const probsTable = await readPredictionTable(spec.predProbs, 'probabilities');
  const { classes, classSource, columnOf } = resolveClasses(probsTable, spec);
  checkValues(probsTable, 'probability', true);
  checkRowSums(probsTable, SUM_TOLERANCE);
  const order = await rowOrder(probsTable, spec, notes);
  const probs = gather(probsTable, order, columnOf);

  let features: Float32Array | null = null;
  let dim = 0;
  if (spec.features) {
    const t = await readPredictionTable(spec.features, 'features');
    if (t.rows !== probsTable.rows)
      throw new DatasetError(
        `${t.file}: ${t.rows} feature rows, but ${probsTable.file} has ${probsTable.rows} probability rows; give one row per file in both`,
      );
    checkValues(t, 'feature', false);
    const featureOrder = await rowOrder(t, spec, []);
    features = gather(
      t,
      featureOrder,
      Int32Array.from({ length: t.cols }, (_, c) => c),
    );
    dim = t.cols;
    notes.push(`features: ${dim}-d rows from ${basename(t.file)}`);
  } else {
    notes.push('no --features: the probability vectors stand in for features in the kNN distance');
  }
  notes.push(`classes: ${classSource}`);
  return { probs, features, dim, classes, classSource, notes };
}

/** Table rows in the order of `spec.files`. */
async function rowOrder(t: PredictionTable, spec: PredictionsSpec, notes: string[]): Promise<Int32Array> {
  const files = spec.files.map((f) => f.path);
  const skipped = spec.skipped ?? [];
  if (t.paths) {
    const m = matchRows(t.paths, files, skipped, t.file);
    notes.push(...m.notes);
    return m.rowOf;
  }
  let listed: string[];
  let where: string;
  if (spec.manifest) {
    listed = await manifestPaths(spec.manifest);
    where = `manifest ${spec.manifest}`;
  } else if (spec.listed) {
    listed = spec.listed;
    where = "the dataset's manifest (unsure manifest)";
  } else {
    listed = files;
    where = "the dataset's files";
  }
  if (listed.length !== t.rows)
    throw new DatasetError(
      `${t.file}: ${t.rows} row${t.rows === 1 ? '' : 's'}, but ${where} lists ${listed.length} files; a .npy holds one row per file, ` +
        `in the order of --manifest or of 'unsure manifest <dataset>'`,
    );
  const m = matchRows(listed, files, skipped, where);
  notes.push(...m.notes);
  return m.rowOf;
}

async function manifestPaths(file: string): Promise<string[]> {
  const [head, ...body] = parseCsvFile(await readTextFile(file, 'manifest'), file);
  const col = head?.fields.map((f) => f.trim().toLowerCase()).indexOf('path') ?? -1;
  if (!head || col < 0) throw new DatasetError(`${file}: no "path" column in the manifest's header`);
  return body.map((rec) => {
    const p = rec.fields[col];
    if (p === undefined || p.trim() === '') throw new DatasetError(`${file} line ${rec.line}: empty path`);
    return p;
  });
}

function gather(t: PredictionTable, rowOf: Int32Array, columnOf: Int32Array): Float32Array {
  const C = columnOf.length;
  const out = new Float32Array(rowOf.length * C);
  rowOf.forEach((r, i) => {
    for (let c = 0; c < C; c++) out[i * C + c] = t.data[r * t.cols + columnOf[c]!]!;
  });
  return out;
}

interface ClassColumns {
  classes: string[];
  classSource: string;
  /** For each class (output column), the table column it is read from. */
  columnOf: Int32Array;
}

/**
 * The class of each column: --classes, else a classes.json beside the file, else the CSV's
 * column names when they are the dataset's classes, else the dataset's classes sorted.
 */
function resolveClasses(t: PredictionTable, spec: PredictionsSpec): ClassColumns {
  const identity = Int32Array.from({ length: t.cols }, (_, c) => c);
  const named = t.columns !== null && sameSet(t.columns, spec.datasetClasses);
  if (spec.classes) {
    const classes = spec.classes;
    checkClasses(classes, spec.datasetClasses, t, '--classes');
    // A CSV whose columns are named by class is read by name; --classes gives the order.
    if (t.columns && sameSet(t.columns, classes)) {
      const cols = t.columns;
      return { classes, classSource: '--classes', columnOf: Int32Array.from(classes, (c) => cols.indexOf(c)) };
    }
    return { classes, classSource: '--classes', columnOf: identity };
  }
  const json = join(dirname(t.file), 'classes.json');
  if (existsSync(json) && !named) {
    const classes = readClassesJson(json);
    checkClasses(classes, spec.datasetClasses, t, json);
    return { classes, classSource: `classes.json next to ${basename(t.file)}`, columnOf: identity };
  }
  if (named && t.columns)
    return { classes: t.columns, classSource: `the column names of ${basename(t.file)}`, columnOf: identity };
  const classes = spec.datasetClasses;
  checkClasses(classes, spec.datasetClasses, t, "the dataset's classes");
  return { classes: [...classes], classSource: "the dataset's class names, sorted", columnOf: identity };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function checkClasses(classes: string[], dataset: string[], t: PredictionTable, source: string): void {
  if (classes.length !== t.cols)
    throw new DatasetError(
      `${t.file}: ${t.cols} probability columns, but ${source} names ${classes.length} classes (${classes.join(', ')})`,
    );
  const dup = classes.find((c, i) => classes.indexOf(c) !== i);
  if (dup !== undefined) throw new DatasetError(`${source}: class "${dup}" is named twice`);
  const unknown = classes.filter((c) => !dataset.includes(c));
  const absent = dataset.filter((c) => !classes.includes(c));
  if (unknown.length > 0 || absent.length > 0)
    throw new DatasetError(
      `${t.file}: the classes of ${source} (${classes.join(', ')}) are not the dataset's (${dataset.join(', ')})` +
        (unknown.length ? `; not in the dataset: ${unknown.join(', ')}` : '') +
        (absent.length ? `; missing: ${absent.join(', ')}` : ''),
    );
}

/** A JSON array of names, or an object from column index to name (Hugging Face's id2label). */
function readClassesJson(file: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DatasetError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    const names: string[] = [];
    for (const [k, v] of entries) {
      const i = Number(k);
      if (!Number.isInteger(i) || i < 0 || i >= entries.length || typeof v !== 'string')
        throw new DatasetError(`${file}: expected an array of class names or {"0": "name", ...}`);
      names[i] = v;
    }
    return names;
  }
  throw new DatasetError(`${file}: expected a JSON array of class names, in column order`);
}
