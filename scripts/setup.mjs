#!/usr/bin/env node
// Unsure's own install step (run by `npm install`/`npm ci` as postinstall, or by hand as
// `npm run setup`). Third-party install scripts are not relied on: npm may hold them back,
// and the ones in this stack download binaries, which fails on offline machines. This step:
//   1. makes the native TensorFlow backend of @tensorflow/tfjs-node work, by its normal
//      download where the network allows, else by building the binding against the
//      libtensorflow inside TensorFlow's Python wheel (cached outside the repository);
//   2. tries to fetch Electron's binary, and says plainly when it cannot (browser mode then).
// It is idempotent: a second run on a working install only checks and reports.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tfjsDir = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');
const electronDir = path.join(root, 'node_modules', 'electron');
const WHEEL_TF_VERSION = process.env.UNSURE_TF_WHEEL_VERSION || '2.21.0';
const cacheRoot =
  process.env.UNSURE_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'unsure');
const tfInfoFile = path.join(tfjsDir, 'unsure-tensorflow.json');

const say = (msg) => console.log(`[unsure setup] ${msg}`);
const warn = (msg) => console.warn(`[unsure setup] WARNING: ${msg}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    stdio: opts.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 0,
    cwd: opts.cwd ?? root,
    env: { ...process.env, ...(opts.env ?? {}) },
  });
  return { ok: r.status === 0, stdout: r.stdout ?? '', out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

/** Loads tfjs-node in a child process (a failed dlopen must not kill this script). */
function probeTensorflow() {
  const code = `
    const tf = require('@tensorflow/tfjs-node');
    const b = tf.backend();
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const y = tf.matMul(x, x).dataSync();
    if (y[0] !== 7) throw new Error('matMul gave ' + y[0]);
    console.log(JSON.stringify({ backend: tf.getBackend(), tf: b.binding.TF_Version }));`;
  const r = run(process.execPath, ['-e', code], { quiet: true, timeoutMs: 120_000 });
  if (!r.ok) return { ok: false, reason: r.out.trim().split('\n').slice(-3).join(' | ') };
  // TensorFlow logs to stderr; the probe's JSON is stdout's last JSON line.
  const line = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (!line) return { ok: false, reason: 'the probe printed no result' };
  const info = JSON.parse(line);
  return { ok: info.backend === 'tensorflow', ...info };
}

function writeTfInfo(route, probe) {
  const info = { route, libtensorflow: probe.tf, checkedAt: new Date().toISOString() };
  fs.writeFileSync(tfInfoFile, JSON.stringify(info, null, 2));
  say(`native TensorFlow ready: backend '${probe.backend}', libtensorflow ${probe.tf} (${route})`);
}

/** Route 1: tfjs-node's own installer (downloads libtensorflow 2.9.1 and a prebuilt addon). */
function tryOfficialDownload() {
  if (process.env.UNSURE_TF_ROUTE === 'wheel') return false;
  say("trying tfjs-node's own download of libtensorflow (needs internet)...");
  const r = run(process.execPath, ['scripts/install.js'], {
    cwd: tfjsDir,
    quiet: true,
    timeoutMs: 10 * 60_000,
  });
  if (r.ok && probeTensorflow().ok) return true;
  const why = r.out.match(/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|getaddrinfo[^\n]*/)?.[0];
  say(`download route unavailable${why ? ` (${why})` : ''}; using TensorFlow's Python wheel instead`);
  // The failed attempt may leave a half-populated deps/ behind; the wheel route rebuilds it.
  fs.rmSync(path.join(tfjsDir, 'deps'), { recursive: true, force: true });
  return false;
}

function findPython() {
  for (const py of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    if (run(py, ['-c', 'import sys; assert sys.version_info >= (3, 8)'], { quiet: true }).ok) return py;
  }
  return null;
}

/** Route 2: the libtensorflow shared library and headers from the tensorflow-cpu wheel. */
function extractWheelLibrary(python) {
  const libRoot = path.join(cacheRoot, `libtensorflow-${WHEEL_TF_VERSION}`);
  if (fs.existsSync(path.join(libRoot, 'complete'))) {
    say(`using cached libtensorflow ${WHEEL_TF_VERSION} at ${libRoot}`);
    return libRoot;
  }
  const wheelDir = path.join(cacheRoot, 'wheel');
  fs.mkdirSync(wheelDir, { recursive: true });
  const findWheel = () =>
    fs.readdirSync(wheelDir).find((f) => f.startsWith(`tensorflow_cpu-${WHEEL_TF_VERSION}-`) && f.endsWith('.whl'));
  if (!findWheel()) {
    say(`fetching tensorflow-cpu==${WHEEL_TF_VERSION} with pip into ${wheelDir} (about 270 MB)...`);
    const r = run(
      python,
      [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--retries',
        '1',
        '--timeout',
        '20',
        '-d',
        wheelDir,
        `tensorflow-cpu==${WHEEL_TF_VERSION}`,
      ],
      { quiet: true, timeoutMs: 30 * 60_000 },
    );
    if (!r.ok || !findWheel()) {
      throw new Error(
        `pip could not fetch tensorflow-cpu==${WHEEL_TF_VERSION}:\n${r.out.trim().split('\n').slice(-4).join('\n')}`,
      );
    }
  }
  const wheel = path.join(wheelDir, findWheel());
  say(`extracting the C library and headers from ${path.basename(wheel)}...`);
  const tmp = `${libRoot}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  // Only the two shared libraries and the include trees are needed (not the Python code).
  const py = `
import sys, zipfile, os, shutil
whl, out = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(whl)
for n in z.namelist():
    if n.startswith('tensorflow/include/'):
        rel = n[len('tensorflow/include/'):]
        if not rel.split('/')[0] in ('tensorflow', 'tsl', 'xla') or n.endswith('/'):
            continue
        dst = os.path.join(out, 'include', rel)
    elif n in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'):
        dst = os.path.join(out, 'lib', os.path.basename(n))
    else:
        continue
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with z.open(n) as src, open(dst, 'wb') as f:
        shutil.copyfileobj(src, f, 1 << 20)
`;
  const r = run(python, ['-c', py, wheel, tmp], { quiet: true });
  if (!r.ok) throw new Error(`could not extract ${wheel}: ${r.out.trim()}`);
  const lib = path.join(tmp, 'lib');
  fs.symlinkSync('libtensorflow_cc.so.2', path.join(lib, 'libtensorflow.so.2'));
  fs.symlinkSync('libtensorflow_cc.so.2', path.join(lib, 'libtensorflow.so'));
  fs.symlinkSync('libtensorflow_framework.so.2', path.join(lib, 'libtensorflow_framework.so'));
  fs.writeFileSync(path.join(tmp, 'complete'), WHEEL_TF_VERSION);
  fs.rmSync(libRoot, { recursive: true, force: true });
  fs.renameSync(tmp, libRoot);
  return libRoot;
}

function buildBindingFromWheel() {
  const python = findPython();
  if (!python) throw new Error('python3 with pip is needed to fetch the tensorflow-cpu wheel, and none was found');
  const libRoot = extractWheelLibrary(python);
  // tfjs_binding.node finds libtensorflow through the rpath $ORIGIN/../../deps/lib.
  const deps = path.join(tfjsDir, 'deps');
  fs.rmSync(deps, { recursive: true, force: true });
  fs.mkdirSync(deps);
  fs.symlinkSync(path.join(libRoot, 'include'), path.join(deps, 'include'));
  fs.symlinkSync(path.join(libRoot, 'lib'), path.join(deps, 'lib'));

  // A binding built once against this library and this Node ABI is reused from the cache.
  const bindingCache = path.join(
    cacheRoot,
    `tfjs-binding-${WHEEL_TF_VERSION}-napi-v8-${process.platform}-${process.arch}`,
  );
  const target = path.join(tfjsDir, 'lib', 'napi-v8', 'tfjs_binding.node');
  const cached = path.join(bindingCache, 'tfjs_binding.node');
  if (fs.existsSync(cached)) {
    say(`reusing the binding built earlier (${cached})`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(cached, target);
    if (probeTensorflow().ok) return;
    warn('the cached binding did not load; rebuilding it');
  }
  say("compiling tfjs-node's binding against it (about a minute)...");
  const nodedir = ['/usr', path.resolve(process.execPath, '..', '..')].find((d) =>
    fs.existsSync(path.join(d, 'include', 'node', 'node_api.h')),
  );
  const gypArgs = ['install', '--build-from-source', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
  const r = run(path.join(root, 'node_modules', '.bin', 'node-pre-gyp'), gypArgs, { cwd: tfjsDir, quiet: true });
  if (!r.ok) {
    throw new Error(
      `building the binding failed (needs make, g++ and Node's headers):\n${r.out.trim().split('\n').slice(-15).join('\n')}`,
    );
  }
  fs.mkdirSync(bindingCache, { recursive: true });
  fs.copyFileSync(target, `${cached}.tmp`);
  fs.renameSync(`${cached}.tmp`, cached);
}

function setupTensorflow() {
  if (!fs.existsSync(tfjsDir)) throw new Error('@tensorflow/tfjs-node is not installed; run npm ci first');
  const existing = probeTensorflow();
  if (existing.ok) {
    const route = fs.existsSync(tfInfoFile) ? JSON.parse(fs.readFileSync(tfInfoFile, 'utf8')).route : 'existing';
    writeTfInfo(route, existing);
    return;
  }
  if (tryOfficialDownload()) {
    writeTfInfo('tfjs-node download', probeTensorflow());
    return;
  }
  buildBindingFromWheel();
  const probe = probeTensorflow();
  if (!probe.ok) throw new Error(`the binding was built but TensorFlow does not load: ${probe.reason}`);
  writeTfInfo(`built against the tensorflow-cpu ${WHEEL_TF_VERSION} wheel`, probe);
}

function setupElectron() {
  if (!fs.existsSync(electronDir)) return;
  const pathTxt = path.join(electronDir, 'path.txt');
  if (fs.existsSync(pathTxt) && fs.existsSync(path.join(electronDir, 'dist'))) {
    say('Electron binary present');
    return;
  }
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    say('ELECTRON_SKIP_BINARY_DOWNLOAD is set: no Electron binary; `npm start` will use browser mode');
    return;
  }
  say("fetching Electron's binary (needs internet)...");
  const r = run(process.execPath, ['install.js'], { cwd: electronDir, quiet: true, timeoutMs: 5 * 60_000 });
  if (r.ok && fs.existsSync(pathTxt)) {
    say('Electron binary installed');
    return;
  }
  say(
    "Electron's binary could not be downloaded (no internet?). That is fine: `npm start` will " +
      'say so and run Unsure in browser mode, and `npm run serve` always works.',
  );
}

try {
  setupTensorflow();
  setupElectron();
} catch (err) {
  console.error(`\n[unsure setup] FAILED: ${err.message}\n`);
  console.error(
    'Unsure needs the native TensorFlow backend (the pure-JS one is ~100x slower and is never used silently).\n' +
      'Fix one of these, then run `npm run setup`:\n' +
      "  - internet access to storage.googleapis.com (tfjs-node's own download), or\n" +
      `  - python3 with pip able to fetch tensorflow-cpu==${WHEEL_TF_VERSION} (a local wheel store or PyPI),\n` +
      "    plus make, g++ and Node's headers to compile the binding.\n" +
      `Cache folder: ${cacheRoot} (set UNSURE_CACHE_DIR to move it).`,
  );
  process.exit(1);
}
