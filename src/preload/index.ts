// The only bridge between the sandboxed renderer and the main process: the typed API's
// invoke and event stream, nothing else (no ipcRenderer, no Node).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ApiName, ApiReply, JobEvent, UnsureBridge } from '../shared/api.js';
import { IPC_CHOOSE_PATH, IPC_EVENT, IPC_INVOKE, type ChoosePathPurpose } from '../shared/ipc-channels.js';
import { sheetQuery } from '../shared/media.js';

const bridge: UnsureBridge = {
  mode: 'electron',
  async invoke(name: ApiName, params: unknown) {
    const reply = (await ipcRenderer.invoke(IPC_INVOKE, name, params)) as ApiReply;
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.result as never;
  },
  onEvent(listener: (e: JobEvent) => void) {
    const wrapped = (_: unknown, e: JobEvent) => listener(e);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT, wrapped);
  },
  imageUrl: (id: string) => `unsure-media://sample/${encodeURIComponent(id)}`,
  sheetUrl: (ids: readonly string[]) => `unsure-media://sheet/?ids=${sheetQuery(ids)}`,
  pathForFile: (file: Blob) => webUtils.getPathForFile(file as File),
  choosePath: (purpose: ChoosePathPurpose) =>
    ipcRenderer.invoke(IPC_CHOOSE_PATH, { purpose }) as Promise<string | null>,
};

contextBridge.exposeInMainWorld('unsure', bridge);
