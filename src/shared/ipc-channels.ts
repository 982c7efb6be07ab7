// Channel names shared by the preload script and the main process.
export const IPC_INVOKE = 'unsure:invoke';
export const IPC_EVENT = 'unsure:event';
/** Electron only: a native file or folder dialog for one of CHOOSE_PATH_PURPOSES. */
export const IPC_CHOOSE_PATH = 'unsure:choose-path';

/** What a path is chosen for; main turns each into its own dialog (the renderer picks no options). */
export const CHOOSE_PATH_PURPOSES = ['train', 'pool', 'model', 'predictions', 'export'] as const;
export type ChoosePathPurpose = (typeof CHOOSE_PATH_PURPOSES)[number];

export function isChoosePathPurpose(v: unknown): v is ChoosePathPurpose {
  return typeof v === 'string' && (CHOOSE_PATH_PURPOSES as readonly string[]).includes(v);
}
