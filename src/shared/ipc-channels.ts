// Channel names shared by the preload script and the main process.
export const IPC_INVOKE = 'unsure:invoke';
export const IPC_EVENT = 'unsure:event';
