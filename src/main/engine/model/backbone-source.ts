// Where a backbone comes from: a path used in place (a tfjs model.json folder, a SavedModel
// folder, an .onnx file), or an http(s) URL to a tfjs model.json (its weight files fetched
// beside it) or an .onnx file, downloaded once into the cache. A cache entry is filled in a
// hidden temp folder and renamed into place, so an interrupted download leaves nothing; it
// records every file's sha256, which is checked against the user's --backbone-sha256 (of
// model.json or the .onnx) and again on every later use.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTempSibling, removeIfOurs, swapIntoPlace } from '../project/atomic-dir.js';
import { unsureHome } from '../project/unsure-home.js';
import { downloadFile, DownloadError, type DownloadProgress } from './backbone-download.js';
import { isCheckpointDir } from './checkpoint.js';
import { isHeadCheckpointDir } from './head-checkpoint.js';
import { isBackboneUrl, SHA256_HEX } from '../../../shared/backbone-spec.js';

export type BackboneFormat = 'tfjs' | 'savedmodel' | 'onnx';

export interface ResolveBackboneOptions {
  /** Expected sha256 (hex) of model.json or the .onnx file. */
  sha256?: string;
  /** UNSURE_HOME/cache/backbones. */
  cacheDir: string;
  fetchImpl?: typeof fetch;
  onProgress?: (p: DownloadProgress) => void;
}

export interface ResolvedBackbone {
  /** The folder that holds the model. */
  dir: string;
  /** The model's main file: model.json, saved_model.pb or the .onnx file. */
  main: string;
  format: BackboneFormat;
  /** sha256 of every file of the model, by path relative to dir. */
  sha256: Record<string, string>;
  source: 'path' | 'cache' | 'download';
}

/** The cache entry's record of what was downloaded. */
const ENTRY = 'backbone-entry.json';
const MARKER = '.unsure-backbone';

interface Entry {
  url: string;
  format: 'tfjs' | 'onnx';
  main: string;
  sha256: Record<string, string>;
}

export class BackboneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackboneError';
  }
}

/** Where downloaded backbones are kept: UNSURE_HOME/cache/backbones. */
export function backboneCacheDir(home: string = unsureHome()): string {
  return path.join(home, 'cache', 'backbones');
}

export async function resolveBackbone(spec: string, opts: ResolveBackboneOptions): Promise<ResolvedBackbone> {
  const expected = opts.sha256?.trim().toLowerCase();
  if (expected !== undefined && !SHA256_HEX.test(expected))
    throw new BackboneError(`--backbone-sha256 must be 64 hex digits, got '${opts.sha256}'`);
  if (isBackboneUrl(spec)) return fromUrl(new URL(spec), expected, opts);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec))
    throw new BackboneError(`backbone ${spec}: only http:// and https:// URLs are downloaded`);
  return fromPath(path.resolve(spec), expected);
}

async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

function checkExpected(expected: string | undefined, actual: string, what: string): void {
  if (expected !== undefined && actual !== expected)
    throw new BackboneError(`${what}: sha256 ${actual} does not match --backbone-sha256 ${expected}`);
}

async function fromPath(abs: string, expected: string | undefined): Promise<ResolvedBackbone> {
  const info = await stat(abs).catch(() => null);
  if (!info) throw new BackboneError(`backbone ${abs} does not exist`);
  if (info.isDirectory() && ((await isCheckpointDir(abs)) || (await isHeadCheckpointDir(abs))))
    throw new BackboneError(
      `backbone ${abs} is an Unsure checkpoint, a classifier for its own classes, not a backbone; give it as --model`,
    );
  let dir: string;
  let main: string;
  let format: BackboneFormat;
  if (info.isFile() && abs.toLowerCase().endsWith('.onnx')) {
    [dir, main, format] = [path.dirname(abs), path.basename(abs), 'onnx'];
  } else if (info.isFile() && path.basename(abs) === 'model.json') {
    [dir, main, format] = [path.dirname(abs), 'model.json', 'tfjs'];
  } else if (info.isDirectory() && existsSync(path.join(abs, 'model.json'))) {
    [dir, main, format] = [abs, 'model.json', 'tfjs'];
  } else if (info.isDirectory() && existsSync(path.join(abs, 'saved_model.pb'))) {
    [dir, main, format] = [abs, 'saved_model.pb', 'savedmodel'];
  } else {
    const onnx = info.isDirectory() ? (await readdir(abs)).filter((n) => /\.onnx$/i.test(n)) : [];
    if (onnx.length !== 1)
      throw new BackboneError(
        `backbone ${abs}: expected a tfjs model folder (model.json), a SavedModel folder (saved_model.pb), ` +
          `a folder with one .onnx file or an .onnx file${onnx.length > 1 ? ` (it holds ${onnx.length} .onnx files)` : ''}`,
      );
    [dir, main, format] = [abs, onnx[0]!, 'onnx'];
  }
  const files = format === 'tfjs' ? [main, ...(await tfjsWeightPaths(path.join(dir, main)))] : [main];
  if (format === 'savedmodel') files.push(...(await listFiles(path.join(dir, 'variables'), 'variables')));
  const sha256: Record<string, string> = {};
  for (const f of files) {
    const full = path.join(dir, f);
    if (!existsSync(full)) throw new BackboneError(`backbone ${dir}: ${f} is missing (named by ${main})`);
    sha256[f] = await sha256File(full);
  }
  checkExpected(expected, sha256[main]!, `backbone ${path.join(dir, main)}`);
  return { dir, main, format, sha256, source: 'path' };
}

async function listFiles(dir: string, prefix: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const rel = `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

/** The weight files a tfjs model.json names, each a plain name in model.json's folder. */
async function tfjsWeightPaths(modelJson: string): Promise<string[]> {
  let manifest: unknown;
  try {
    manifest = (JSON.parse(await readFile(modelJson, 'utf8')) as { weightsManifest?: unknown }).weightsManifest;
  } catch (err) {
    throw new BackboneError(`${modelJson}: not a tfjs model.json (${(err as Error).message})`);
  }
  return weightPathsOf(manifest, modelJson);
}

function weightPathsOf(manifest: unknown, where: string): string[] {
  if (!Array.isArray(manifest)) throw new BackboneError(`${where}: no weightsManifest, so not a tfjs model.json`);
  const paths = manifest.flatMap((g) => ((g as { paths?: unknown }).paths as unknown[] | undefined) ?? []);
  for (const p of paths) {
    // A weight file lies beside model.json: no folder part, no '..', so a download cannot write elsewhere.
    if (typeof p !== 'string' || p === '' || p.includes('/') || p.includes('\\') || p === '..' || p === '.')
      throw new BackboneError(`${where}: weight path ${JSON.stringify(p)} is not a file name beside model.json`);
  }
  return [...new Set(paths as string[])];
}

function cacheKey(url: URL): string {
  return createHash('sha256').update(url.href).digest('hex').slice(0, 24);
}

async function fromUrl(
  url: URL,
  expected: string | undefined,
  opts: ResolveBackboneOptions,
): Promise<ResolvedBackbone> {
  const target = path.join(opts.cacheDir, cacheKey(url));
  if (existsSync(path.join(target, ENTRY))) return fromCache(target, url, expected);
  const onnx = url.pathname.toLowerCase().endsWith('.onnx');
  const main = onnx ? path.posix.basename(url.pathname) : 'model.json';
  if (!onnx && !url.pathname.endsWith('.json'))
    throw new BackboneError(`backbone ${url.href}: a URL must name a tfjs model.json or an .onnx file`);
  const fetchImpl = opts.fetchImpl ?? fetch;
  const tmp = await makeTempSibling(target, MARKER);
  try {
    const sha256: Record<string, string> = {};
    sha256[main] = (await downloadFile(url.href, path.join(tmp.dir, main), main, fetchImpl, opts.onProgress)).sha256;
    // Checked before the weights are fetched: a wrong model.json costs one small file.
    checkExpected(expected, sha256[main], `backbone ${url.href}`);
    if (!onnx) {
      for (const w of await tfjsWeightPaths(path.join(tmp.dir, main))) {
        const wUrl = new URL(w, url).href;
        sha256[w] = (await downloadFile(wUrl, path.join(tmp.dir, w), w, fetchImpl, opts.onProgress)).sha256;
      }
    }
    const entry: Entry = { url: url.href, format: onnx ? 'onnx' : 'tfjs', main, sha256 };
    await writeFile(path.join(tmp.dir, ENTRY), `${JSON.stringify(entry, null, 2)}\n`);
    await swapIntoPlace(tmp, target, MARKER, 'backbone');
    return { dir: target, main, format: entry.format, sha256, source: 'download' };
  } catch (err) {
    await removeIfOurs(tmp, MARKER);
    const why = err instanceof DownloadError || err instanceof BackboneError ? err.message : String(err);
    throw new BackboneError(`${why}; nothing was kept in the cache (${opts.cacheDir})`);
  }
}

async function fromCache(target: string, url: URL, expected: string | undefined): Promise<ResolvedBackbone> {
  const entryFile = path.join(target, ENTRY);
  let entry: Entry;
  try {
    entry = JSON.parse(await readFile(entryFile, 'utf8')) as Entry;
  } catch (err) {
    throw new BackboneError(`cache entry ${entryFile} is unreadable (${(err as Error).message}); remove ${target}`);
  }
  if (entry.url !== url.href || !entry.sha256 || typeof entry.sha256[entry.main] !== 'string')
    throw new BackboneError(`cache entry ${entryFile} is not the one for ${url.href}; remove ${target}`);
  for (const [name, recorded] of Object.entries(entry.sha256)) {
    const file = path.join(target, name);
    const actual = existsSync(file) ? await sha256File(file) : 'missing';
    if (actual !== recorded)
      throw new BackboneError(
        `cached backbone file ${file} has changed since it was downloaded (sha256 ${actual}, recorded ${recorded}); ` +
          `remove ${target} to download it again`,
      );
  }
  checkExpected(expected, entry.sha256[entry.main]!, `cached backbone ${url.href}`);
  return { dir: target, main: entry.main, format: entry.format, sha256: entry.sha256, source: 'cache' };
}
