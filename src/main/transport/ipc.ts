// Electron transport: the same handlers as the HTTP server, behind one ipcMain.handle.
// Every message is validated by the shared schemas, and only the app's own frame may call.
import { ipcMain, type WebContents } from 'electron';
import { ApiError, errorReply, parseCall, type ApiHandlers, type ApiReply, type JobEvent } from '../../shared/api.js';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc-channels.js';
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
