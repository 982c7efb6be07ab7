// `unsure serve`: browser mode. The same service and API as the Electron app, over HTTP on
// 127.0.0.1, with the built renderer.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEngine } from '../engine/worker/engine-client-impl.js';
import { UnsureService } from '../service/service.js';
import { startHttpServer } from '../transport/http-server.js';

export const serveUsage = `Usage: unsure serve [--port N] [--train <labeled dataset>] [--pool <dataset>] [--arch A | --model M] [--seed S]

Runs Unsure in browser mode on 127.0.0.1 and prints the URL to open (it carries a
per-launch secret token). With no dataset, opens the built-in demo.
  --port N      port to listen on (default: a free port)
  --train PATH  labeled dataset to train on (alias: --data)
  --pool PATH   review pool (unlabeled or labeled images)
  --arch A      model family: auto (default: the data decides), cnn (the small CNN) or
                backbone (the pretrained backbone with a head); the app can switch it later
  --model M     score with your own model instead (as unsure score --model reads it: a
                folder or an .onnx file, preprocessing from its preprocessor_config.json)
  --seed S      random seed for training and the demo (default: the desktop app's, demo 1 and
                training 42, which the shipped demo model was trained with)`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Newest modification time under a folder (to tell whether the built UI is stale). */
function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the renderer when it is missing or older than its sources. */
export function ensureRendererBuilt(): string {
  const outDir = path.join(root, 'out', 'renderer');
  const index = path.join(outDir, 'index.html');
  const sources = [path.join(root, 'src', 'renderer'), path.join(root, 'src', 'shared')].filter(fs.existsSync);
  const stale = !fs.existsSync(index) || sources.some((s) => newest(s) > fs.statSync(index).mtimeMs);
  if (stale) {
    process.stderr.write('unsure: building the user interface (electron-vite build)...\n');
    const bin = path.join(root, 'node_modules', '.bin', 'electron-vite');
    const r = spawnSync(bin, ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0 || !fs.existsSync(index)) throw new Error('building the user interface failed (see above)');
  }
  return outDir;
}

export async function runServe(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      train: { type: 'string' },
      data: { type: 'string' },
      pool: { type: 'string' },
      seed: { type: 'string' },
      arch: { type: 'string' },
      model: { type: 'string' },
    },
    strict: true,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0..65535, got ${values.port}`);
  // No seed by default, exactly as the desktop app: the engine's defaults then apply, which
  // are what the shipped demo model (resources/demo-model) was trained with.
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const train = values.train ?? values.data;
  const arch = values.arch ?? 'auto';
  if (arch !== 'auto' && arch !== 'cnn' && arch !== 'backbone')
    throw new Error(`--arch must be cnn, backbone or auto, not "${arch}"`);
  const rendererDir = ensureRendererBuilt();

  const engine = createEngine();
  const service = new UnsureService({
    engine,
    seed,
    initial: {
      train: train && path.resolve(train),
      pool: values.pool && path.resolve(values.pool),
      arch,
      model: values.model && path.resolve(values.model),
    },
  });
  const server = await startHttpServer({
    handlers: service.handlers,
    onEvent: (l) => service.onEvent(l),
    media: (id) => service.media(id),
    mediaSheet: (ids) => service.mediaSheet(ids),
    rendererDir,
    port,
  });
  const backend = await service.handlers.getBackend({});
  process.stderr.write(`unsure: TensorFlow backend '${backend.backend}', libtensorflow ${backend.libtensorflow}\n`);
  process.stdout.write(`Unsure is running in browser mode. Open:\n  ${server.url}\n`);
  service.onEvent((e) => {
    if (e.type === 'error') process.stderr.write(`unsure: ${e.task} failed: ${e.message}\n`);
  });
  void service.start().catch((err: unknown) => process.stderr.write(`unsure: ${String(err)}\n`));

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await service.close();
  return 0;
}
