// Electron transport: the same handlers as the HTTP server, behind one ipcMain.handle.
// Every message is validated by the shared schemas, and only the app's own frame may call.
import { ipcMain, type OpenDialogOptions, type WebContents } from 'electron';
import { ApiError, errorReply, parseCall, type ApiHandlers, type ApiReply, type JobEvent } from '../../shared/api.js';
import { IPC_CHOOSE_PATH, IPC_EVENT, IPC_INVOKE } from '../../shared/ipc-channels.js';
import { choosePathOptions, parseChoosePath } from '../electron/choose-path.js';
import { isTrustedSender } from '../electron/policies.js';

export function bindIpc(
  handlers: ApiHandlers,
  onEvent: (l: (e: JobEvent) => void) => () => void,
  target: () => WebContents | null,
): () => void {
  ipcMain.handle(IPC_INVOKE, async (event, name: unknown, params: unknown): Promise<ApiReply> => {
    try {
      if (!isTrustedSender(event.senderFrame?.url)) throw new ApiError('unauthorized', 'IPC from an untrusted frame');
      const call = parseCall(name, params);
      const handler = handlers[call.name] as (p: unknown) => Promise<unknown>;
      return { ok: true, result: await handler(call.params) };
    } catch (err) {
      // Errors cross IPC as data: Electron would otherwise reduce them to a bare string.
      return errorReply(err);
    }
  });
  const off = onEvent((e) => target()?.send(IPC_EVENT, e));
  return () => {
    off();
    ipcMain.removeHandler(IPC_INVOKE);
  };
}

/** The "Browse…" buttons' native dialog: a purpose in, the chosen path (or null) out. */
export function bindChoosePath(
  show: (options: OpenDialogOptions) => Promise<{ canceled: boolean; filePaths: string[] }>,
): () => void {
  ipcMain.handle(IPC_CHOOSE_PATH, async (event, request: unknown): Promise<string | null> => {
    if (!isTrustedSender(event.senderFrame?.url)) throw new Error('IPC from an untrusted frame');
    const r = await show(choosePathOptions(parseChoosePath(request)));
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  return () => ipcMain.removeHandler(IPC_CHOOSE_PATH);
}
