// Electron entry: thin wiring of tested pieces (policies.ts and external-links.ts through
// harden.ts, menu.ts, path-guard.ts, the service and the IPC transport). It cannot start on
// machines without Electron's binary; there `npm start` falls back to browser mode
// (scripts/start.mjs).
import { app, BrowserWindow, dialog, Menu, net, protocol, session, type OpenDialogOptions } from 'electron';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createEngine } from './engine/worker/engine-client-impl.js';
import { hardenContents, hardenSession } from './electron/harden.js';
import { APP_ORIGIN, windowOptions } from './electron/policies.js';
import { menuTemplate } from './electron/menu.js';
import { APP_SCHEME, MEDIA_SCHEME, contentSecurityPolicy } from './security/csp.js';
import { staticFileFor } from './security/path-guard.js';
import { contentTypeFor } from './transport/static-files.js';
import { bindChoosePath, bindIpc } from './transport/ipc.js';
import { IPC_EVENT } from '../shared/ipc-channels.js';
import { UnsureService } from './service/service.js';
import type { JobEvent } from '../shared/api.js';
import { parseSheetIds } from '../shared/media.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');

// Every renderer is sandboxed, whatever options a window is created with.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let win: BrowserWindow | null = null;

async function main(): Promise<void> {
  await app.whenReady();
  const engine = createEngine({ workerPath: path.join(here, 'engine-worker.js') });
  const service = new UnsureService({ engine });
  const csp = contentSecurityPolicy([`${MEDIA_SCHEME}:`]);

  // The renderer is served from a custom origin, not file://, so the CSP and the
  // navigation policy have a real origin to pin.
  protocol.handle(APP_SCHEME, async (req) => {
    const file = staticFileFor(rendererDir, new URL(req.url).pathname);
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', csp);
    return new Response(res.body, { status: res.status, headers });
  });
  // Sample images: only files of the opened dataset (service.media checks the roots).
  protocol.handle(MEDIA_SCHEME, async (req) => {
    try {
      const url = new URL(req.url);
      const m =
        url.host === 'sheet'
          ? service.mediaSheet(parseSheetIds(url.searchParams.get('ids')))
          : await service.media(decodeURIComponent(url.pathname.replace(/^\/+/, '')));
      if (m.kind === 'bytes') return new Response(m.body, { headers: { 'Content-Type': m.contentType } });
      return new Response(await fs.readFile(m.file), { headers: { 'Content-Type': contentTypeFor(m.file) } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });

  hardenSession(session.defaultSession);

  const send = (e: JobEvent) => {
    if (e.type === 'progress' && win) win.setProgressBar(e.task === 'train' ? e.fraction : -1);
    if ((e.type === 'done' || e.type === 'error' || e.type === 'cancelled') && win) win.setProgressBar(-1);
  };
  service.onEvent(send);
  bindIpc(
    service.handlers,
    (l) => service.onEvent(l),
    () => win?.webContents ?? null,
  );

  bindChoosePath((options: OpenDialogOptions) =>
    win ? dialog.showOpenDialog(win, options) : Promise.resolve({ canceled: true, filePaths: [] }),
  );
  // Open, export and retrain from the menu run in the window as their keys do: the Open dialog
  // (model choice, Browse…), the export dialog and the retrain panel with its progress.
  const ask = (command: Extract<JobEvent, { type: 'menu' }>['command']) =>
    win?.webContents.send(IPC_EVENT, { type: 'menu', command } satisfies JobEvent);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        {
          openDataset: () => ask('open'),
          openDemo: () =>
            void service.handlers
              .openDataset({ demo: true })
              .catch((e) => dialog.showErrorBox('Open failed', String(e))),
          exportDataset: () => ask('export'),
          retrain: () => ask('retrain'),
        },
        process.platform === 'darwin',
      ),
    ),
  );

  win = new BrowserWindow(windowOptions(path.join(here, '../preload/index.cjs')));
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => (win = null));
  await win.loadURL(`${APP_ORIGIN}/index.html`);
  void service.start().catch((e) => dialog.showErrorBox('Unsure could not start', String(e)));

  app.on('window-all-closed', () => {
    void service.close().finally(() => app.quit());
  });
}

// Navigation, redirects, new windows and webviews are refused for every web contents.
app.on('web-contents-created', (_e, contents) => hardenContents(contents));

main().catch((err) => {
  console.error(err);
  app.exit(1);
});
